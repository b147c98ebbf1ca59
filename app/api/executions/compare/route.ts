import { getSessionContext } from "@/lib/auth/session";
import { compareExecutions } from "@/lib/compare/compare";
import { parseCompareRequest } from "@/lib/compare/compare-request";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/compare?ids=<id>,<id>…[&period=30|90|365]`: the comparison the compare
 * page shows, as JSON. 400 for a malformed request or runs of different agents, 404 when any
 * id is not an execution this person can see.
 */
export async function GET(request: Request) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to compare executions."));
  const parsed = parseCompareRequest(new URL(request.url).searchParams);
  if (!parsed.ok) return failureResponse(parsed);
  const result = await compareExecutions(ctx, parsed.request);
  if (!result.ok) return failureResponse(result);
  return Response.json(result.comparison);
}
