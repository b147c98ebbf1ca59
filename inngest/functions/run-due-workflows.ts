import { runDueWorkflows } from "@/lib/workflows/run-due";
import { events, scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every minute: queue the runs of workflows that are due and hand them to the engine. */
export async function runDueWorkflowsHandler({ step }: ScheduledHandlerInput) {
  const { queued, skipped } = await step.run("queue-due-runs", () => runDueWorkflows());
  for (const run of queued) {
    await step.sendEvent(`dispatch-${run.executionId}`, { name: events.executionQueued.name, data: { executionId: run.executionId, workspaceId: run.workspaceId } });
  }
  return { queued: queued.length, skipped };
}

export const runDueWorkflowsFunction = scheduledFunction({ id: "run-due-workflows", cron: "* * * * *", runsOnStart: true }, runDueWorkflowsHandler);
