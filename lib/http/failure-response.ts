import type { Failure, FailureCode } from "@/lib/outcome";

const statusByCode: Record<FailureCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The one way a route handler turns a refusal into a response. */
export function failureResponse(failed: Failure, headers?: HeadersInit): Response {
  return Response.json({ error: { code: failed.code, message: failed.message } }, { status: statusByCode[failed.code], headers });
}
