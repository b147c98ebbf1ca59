import type { Ctx } from "@/lib/auth/context";
import { startBulkAction } from "@/lib/executions/bulk-by-filter";
import { startApplyJob, startApplyJobByFilter, type StartedApplyJob } from "@/lib/results/apply-job";
import type { Outcome } from "@/lib/outcome";
import { events, isInngestConfigured } from "./client";
import { dispatchEvent } from "./dispatch";

/**
 * A person confirms a bulk action: the job is recorded, then handed to the background. With
 * Inngest the event is sent before answering; in-process the job runs in this process after
 * the answer, while the page shows its progress (a job cut short is resumed by the scheduler).
 */
export async function startBulkAndDispatch(ctx: Ctx, input: unknown) {
  const started = await startBulkAction(ctx, input);
  if (started.ok) await dispatchBulkJob(started.job.id, ctx.workspaceId);
  return started;
}

/** A person confirms applying every match of a filter: the same, for an apply job (lib/results/apply-job.ts). */
export async function startApplyAndDispatch(ctx: Ctx, executionId: string, input: unknown) {
  return dispatchingApplyJob(ctx, await startApplyJob(ctx, executionId, input));
}

/** The API's start of an apply job, planned and confirmed in one call: the same. */
export async function startApplyByFilterAndDispatch(ctx: Ctx, executionId: string, input: unknown) {
  return dispatchingApplyJob(ctx, await startApplyJobByFilter(ctx, executionId, input));
}

async function dispatchingApplyJob(ctx: Ctx, started: Outcome<StartedApplyJob>) {
  if (started.ok && started.job.status === "running") await dispatchBulkJob(started.job.id, ctx.workspaceId);
  return started;
}

async function dispatchBulkJob(jobId: string, workspaceId: string) {
  const sending = dispatchEvent({ name: events.bulkJobRequested.name, data: { jobId, workspaceId } });
  if (isInngestConfigured()) await sending;
  else sending.catch((error) => console.error(`Bulk job ${jobId} stopped; the scheduler will resume it:`, error));
}
