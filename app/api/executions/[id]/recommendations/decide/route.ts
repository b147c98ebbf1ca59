import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { decideRecommendations } from "@/lib/results/recommendations";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `POST /api/executions/:id/recommendations/decide` with `{ ids: [...], decision: "approved" | "rejected" | "pending" }`,
 * or `{ allMatching: filter, expectedCount, decision }`: every recommendation the filter matches, refused
 * (409, nothing changed) when the number it would change is not `expectedCount`.
 */
export const POST = route<{ id: string }>({ access: "member", signInTo: "approve or reject recommendations", token: "apply" }, async ({ caller, request, params }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const result = await decideRecommendations(caller, params.id, read.body);
  return result.ok ? Response.json({ changed: result.changed }) : result;
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
