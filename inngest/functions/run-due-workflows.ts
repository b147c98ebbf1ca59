import { runDueWorkflows } from "@/lib/workflows/run-due";
import { inngest } from "../client";
import { dispatchExecution } from "../dispatch";
import type { RunStep } from "./run-agent";

/** Every minute: queue the runs of workflows that are due and hand them to the engine. */
export async function runDueWorkflowsHandler({ step }: { step: RunStep }) {
  const { queued, skipped } = await step.run("queue-due-runs", () => runDueWorkflows());
  for (const run of queued) {
    await step.run(`dispatch-${run.executionId}`, () => dispatchExecution({ executionId: run.executionId, workspaceId: run.workspaceId }));
  }
  return { queued: queued.length, skipped };
}

export const runDueWorkflowsFunction = inngest.createFunction(
  { id: "run-due-workflows", triggers: [{ cron: "* * * * *" }] },
  ({ step }) => runDueWorkflowsHandler({ step: step as unknown as RunStep }),
);
