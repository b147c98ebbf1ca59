import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { applyChanges } from "@/lib/results/apply-in-parts";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `POST /api/executions/:id/recommendations/apply` pushes changes to the store and answers
 * `{ outcomes, next, remaining }`, each change's outcome in `outcomes`. Applying twice changes
 * the store once.
 *
 * - `{ ids: [...] }` (at most 1,000) applies those, in one answer (`next` null).
 * - `{ allMatching: filter }` applies every recommendation the filter matches, however many, a
 *   part (250) at a time: the first call counts the plan, and each answer's `next` is sent back
 *   as `after` with the same filter until `next` is null:
 *
 *       let body = { allMatching: { status: ["approved"] } };
 *       for (;;) {
 *         const { outcomes, next, remaining, stopped } = await post(body);
 *         if (!next) break; // done, or `stopped` says why (store lost: apply again later)
 *         body = { ...body, after: next };
 *       }
 *
 *   Only changes there to apply when the plan was counted apply, at most as many as counted; one
 *   decided, applied or reverted since is reported in `outcomes`, not applied. A change that fails
 *   is passed. A token that is not `next` of this filter and execution is a 400.
 *
 * To have Runlog do the looping instead, as a background job the app also shows, POST the same
 * `{ allMatching }` to `…/recommendations/apply-jobs` and poll the job it answers
 * (app/api/executions/[id]/recommendations/apply-jobs/route.ts).
 */
export const POST = route<{ id: string }>({ access: "member", signInTo: "apply recommendations", token: "apply" }, async ({ caller, request, params }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const result = await applyChanges(caller, params.id, read.body);
  if (!result.ok) return result;
  const { outcomes, next, remaining, stopped } = result;
  return Response.json({ outcomes, next, remaining, ...(stopped ? { stopped } : {}) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
