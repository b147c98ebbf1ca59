import { startApplyByFilterAndDispatch } from "@/inngest/start-bulk";
import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";
import { applyJobResource } from "@/lib/results/apply-job";

export const dynamic = "force-dynamic";

/**
 * `POST /api/executions/:id/recommendations/apply-jobs` with `{ allMatching: filter }` applies
 * every recommendation the filter matches as a background job (lib/results/apply-job.ts), the
 * app's "Select all matching" → "Preview and apply…" in one call: the plan is counted now, and
 * only changes there to apply at this moment apply. Answers 202 with the job and its address
 * (`Location`, `url`) to poll with GET; the same filter sent again while its job is under way
 * answers that job with 200 (`isRepeat`), another plan for the run meanwhile 409.
 */
export const POST = route<{ id: string }>({ access: "member", signInTo: "apply recommendations", token: "apply" }, async ({ caller, request, params }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const started = await startApplyByFilterAndDispatch(caller, params.id, read.body);
  if (!started.ok) return started;
  const job = applyJobResource(started.job, params.id);
  return Response.json({ ...job, isRepeat: started.isRepeat }, { status: started.isRepeat ? 200 : 202, headers: { Location: job.url } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
