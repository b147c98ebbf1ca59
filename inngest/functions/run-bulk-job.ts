import { staleBulkJobs } from "@/lib/executions/bulk-by-filter";
import { runBulkJobStep } from "@/lib/executions/bulk-steps";
import { eventFunction, events, scheduledFunction, type BulkJobRequestedData, type EventHandlerInput, type ScheduledHandlerInput } from "../client";

/**
 * A confirmed bulk action, several batches per step (lib/executions/bulk-steps.ts): each batch
 * commits with the job's new position, so a retried step or a resumed job goes on after the
 * last batch, never twice. The function run is the job's worker while it works on it.
 */
export async function runBulkJobHandler({ event, step, runId }: Pick<EventHandlerInput<BulkJobRequestedData>, "event" | "step" | "runId">) {
  const { jobId } = event.data;
  for (let n = 1; ; n++) {
    const { job, isHeldElsewhere } = await step.run(`batches-${n}`, () => runBulkJobStep(jobId, runId));
    if (!job || job.status !== "running" || isHeldElsewhere) return { jobId, status: job?.status ?? "gone", done: job?.done ?? 0, skipped: job?.skipped ?? 0 };
  }
}

export const runBulkJobFunction = eventFunction({ id: "run-bulk-job", event: events.bulkJobRequested, retries: 5 }, runBulkJobHandler);

/** Every minute: bulk jobs no batch moved for 30 s (their worker stopped) are handed out again. */
export async function resumeBulkJobsHandler({ step }: ScheduledHandlerInput) {
  const jobs = await step.run("find-stalled-bulk-jobs", () => staleBulkJobs());
  for (const job of jobs) await step.sendEvent(`resume-bulk-${job.id}`, { name: events.bulkJobRequested.name, data: { jobId: job.id, workspaceId: job.workspaceId } });
  return { resumed: jobs.length };
}

export const resumeBulkJobsFunction = scheduledFunction({ id: "resume-bulk-jobs", cron: "* * * * *", runsOnStart: true, concurrency: { limit: 1 } }, resumeBulkJobsHandler);
