import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";
import { failure } from "@/lib/outcome";
import { applyJobNotFound, applyJobResource, getApplyJob } from "@/lib/results/apply-job";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/:id/recommendations/apply-jobs/:jobId`: an apply job's progress and, once
 * it ended, what it did. Its starter and admins may read it; anyone else gets 404.
 */
export const GET = route<{ id: string; jobId: string }>({ access: "member", signInTo: "follow apply jobs" }, async ({ caller, params }) => {
  const job = await getApplyJob(caller, params.jobId, params.id);
  return job ? Response.json(applyJobResource(job, params.id)) : failure("not_found", applyJobNotFound);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
