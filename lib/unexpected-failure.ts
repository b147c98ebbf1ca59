import { isConnectionError } from "@/db/connection-errors";
import { failure, type Failure } from "./outcome";

export const unavailableMessage = "The database is unreachable; try again in a moment.";
export const internalMessage = "Something went wrong on our side; it has been logged. Try again in a moment.";

/**
 * The one mapping of an error nobody caught (a thrown one, not a refusal returned as a value)
 * to a failure, used by the action and route wrappers: the detail goes to the server's log,
 * the caller gets a sentence and never a stack, a query or a driver's message.
 */
export function failureFromUnexpected(error: unknown): Failure {
  if (isConnectionError(error)) {
    console.error("Runlog: the database is unreachable:", describe(error));
    return failure("unavailable", unavailableMessage);
  }
  console.error("Runlog: unexpected error:", error);
  return failure("internal", internalMessage);
}

/** A lost connection is routine: its chain of messages, not a stack trace per request. */
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) messages.push(current.message);
  return messages.join(" ← ") || String(error);
}
