import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";
import { applyJobResource, stopApplyJob } from "@/lib/results/apply-job";

export const dynamic = "force-dynamic";

/**
 * `POST /api/executions/:id/recommendations/apply-jobs/:jobId/stop`: asks an apply job to stop
 * after the part under way (its starter or an admin, as for canceling a run). 202 while it
 * stops; asking again is harmless, and a job that already ended answers 200 as it is.
 */
export const POST = route<{ id: string; jobId: string }>({ access: "member", signInTo: "stop apply jobs", token: "apply" }, async ({ caller, params }) => {
  const result = await stopApplyJob(caller, params.jobId, params.id);
  if (!result.ok) return result;
  return Response.json(applyJobResource(result.job, params.id), { status: result.job.status === "running" ? 202 : 200 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
