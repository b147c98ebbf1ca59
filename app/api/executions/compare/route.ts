import { compareExecutions } from "@/lib/compare/compare";
import { parseCompareRequest } from "@/lib/compare/compare-request";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/compare?ids=<id>,<id>…[&period=30|90|365]`: the comparison the compare
 * page shows, as JSON. 400 for a malformed request or runs of different agents, 404 when any
 * id is not an execution this person can see.
 */
export const GET = route({ access: "member", signInTo: "compare executions" }, async ({ caller, request }) => {
  const parsed = parseCompareRequest(new URL(request.url).searchParams);
  if (!parsed.ok) return parsed;
  const result = await compareExecutions(caller, parsed.request);
  return result.ok ? Response.json(result.comparison) : result;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
