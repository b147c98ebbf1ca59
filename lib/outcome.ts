import type { z } from "zod";

/**
 * What a domain function returns when it refuses: a code the edge maps to an HTTP
 * status (lib/http/failure-response.ts) and a sentence a person understands.
 */
export type FailureCode =
  | "invalid_input"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "insufficient_credits"
  | "too_large"
  /** The address exists but does not answer this HTTP method. */
  | "method_not_allowed"
  | "rate_limited"
  /** The database could not be reached; nothing was done and the same request may work in a moment. */
  | "unavailable"
  /** Something failed that no rule foresaw: logged on the server, a plain sentence for the caller. */
  | "internal";

export type Failure = { ok: false; code: FailureCode; message: string };
export type Outcome<T extends object = object> = ({ ok: true } & T) | Failure;

export function failure(code: FailureCode, message: string): Failure {
  return { ok: false, code, message };
}

/** What a server action hands its form: the outcome without the code, which only routes need. */
export type Answer<T extends object = object> = ({ ok: true } & T) | { ok: false; message: string };

export function answerOf<T extends object>(result: Outcome<T>): Answer<T> {
  return result.ok ? result : { ok: false, message: result.message };
}

/** Turns zod issues into one readable sentence ("status: must be one of …"), for a failure's message. */
export function describeInvalidInput(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
