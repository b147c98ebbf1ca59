import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { applyRecommendations } from "@/lib/results/apply";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `POST /api/executions/:id/recommendations/apply` with `{ ids: [...] }` or `{ allMatching: filter }`:
 * pushes the changes to the store, each item's outcome in the answer. Applying twice changes the store once.
 */
export const POST = route<{ id: string }>({ access: "member", signInTo: "apply recommendations", token: "apply" }, async ({ caller, request, params }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const result = await applyRecommendations(caller, params.id, read.body);
  return result.ok ? Response.json({ outcomes: result.outcomes }) : result;
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
