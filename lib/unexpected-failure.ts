import { isConnectionError } from "@/db/connection-errors";
import { isContention, isRefusedValue } from "@/db/constraint-errors";
import { failure, type Failure } from "./outcome";

export const unavailableMessage = "The database is unreachable; try again in a moment.";
export const settingUpMessage = "Runlog is setting up its database (a first start loads the demo workspace, under a minute); try again in a moment.";
export const internalMessage = "Something went wrong on our side; it has been logged. Try again in a moment.";
export const refusedValueMessage = "Part of this request is not something Runlog can read or store (a date, number or text out of range); check it and try again.";
const busyMessage = "Runlog is busy with other work; try again in a moment.";

/**
 * The one mapping of an error nobody caught (a thrown one, not a refusal returned as a value)
 * to a failure, used by the action and route wrappers: the detail goes to the server's log,
 * the caller gets a sentence and never a stack, a query or a driver's message. A value the
 * database refused (validation should have caught it first) answers 400, a statement that lost
 * to other work 503, an unreachable database 503; anything else 500.
 */
export function failureFromUnexpected(error: unknown): Failure {
  if (isConnectionError(error)) {
    console.error("Runlog: the database is unreachable:", describe(error));
    return failure("unavailable", unavailableMessage);
  }
  if (isRefusedValue(error)) {
    console.error("Runlog: the database refused a value that validation let through:", describe(error));
    return failure("invalid_input", refusedValueMessage);
  }
  if (isContention(error)) {
    console.error("Runlog: a statement lost to other work:", describe(error));
    return failure("unavailable", busyMessage);
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
