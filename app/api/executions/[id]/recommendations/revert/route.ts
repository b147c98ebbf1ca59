import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { revertRecommendations } from "@/lib/results/apply";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `POST /api/executions/:id/recommendations/revert` with `{ ids: [...] }`: puts applied changes back, each one's outcome in the answer. */
export const POST = route<{ id: string }>({ access: "member", signInTo: "revert recommendations", token: "apply" }, async ({ caller, request, params }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const result = await revertRecommendations(caller, params.id, read.body);
  return result.ok ? Response.json({ outcomes: result.outcomes }) : result;
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
