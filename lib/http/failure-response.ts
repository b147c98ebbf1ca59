import type { z } from "zod";
import type { Failure, FailureCode } from "@/lib/outcome";

const statusByCode: Record<FailureCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export function statusForFailure(code: FailureCode): number {
  return statusByCode[code];
}

/** The one way a route handler turns a refusal into a response. */
export function failureResponse(failed: Failure, headers?: HeadersInit): Response {
  return Response.json({ error: { code: failed.code, message: failed.message } }, { status: statusByCode[failed.code], headers });
}

/** Turns zod issues into one readable sentence ("Status: must be one of …"). */
export function describeInvalidInput(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
