import { handOverAbandonedRuns } from "@/lib/executions/sweep";
import { events, scheduledFunction, type ScheduledHandlerInput } from "../client";

/**
 * With Inngest, every minute: runs whose owner's lease ran out (its function run died, or
 * Inngest gave up on it) are handed to a new function run, which takes them up after their
 * last committed batch; a queued run Inngest never began is sent again. In-process, the
 * runner's own sweep does this (inngest/embedded.ts).
 */
export async function sweepRunsHandler({ step }: ScheduledHandlerInput) {
  const runs = await step.run("hand-over-abandoned-runs", () => handOverAbandonedRuns());
  for (const run of runs) {
    await step.sendEvent(`resume-${run.executionId}-${run.handoff ?? "queued"}`, {
      name: events.executionQueued.name,
      data: { executionId: run.executionId, workspaceId: run.workspaceId, ...(run.handoff ? { handoff: run.handoff } : {}) },
    });
  }
  return { handedOver: runs.length };
}

export const sweepRunsFunction = scheduledFunction({ id: "sweep-runs", cron: "* * * * *", runsInProcess: false, concurrency: { limit: 1 } }, sweepRunsHandler);
