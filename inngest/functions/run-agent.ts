import { beginExecution, failExecution, finishExecution, processBatch } from "@/lib/executions/engine";
import { events, inngest, type ExecutionQueuedData } from "../client";
import { announceExecutionFinished } from "../dispatch";

/** The smallest part of Inngest's `step` this function uses, so the embedded runner can supply it. */
export type RunStep = { run<T>(id: string, work: () => Promise<T>): Promise<T> };

/**
 * Runs one execution: begin, one durable step per batch (cancel is checked between
 * batches), finish. Each step commits on its own and is idempotent, so retries and resumes
 * after a crash continue where the run stopped.
 */
export async function runAgent({ event, step }: { event: { data: ExecutionQueuedData }; step: RunStep }) {
  const { executionId } = event.data;
  try {
    const begun = await step.run("begin", () => beginExecution(executionId));
    if (!begun.shouldRun) return { executionId, status: "skipped" };
    for (let batch = begun.batchesDone; batch < begun.batchCount + 1; batch++) {
      const result = await step.run(`batch-${batch + 1}`, () => processBatch(executionId, batch));
      if (!result.shouldContinue) break;
    }
    await step.run("finish", () => finishExecution(executionId));
    // Whichever way the run ended (a batch may have failed or canceled it), people hear once.
    await step.run("announce-finished", () => announceExecutionFinished(event.data));
    return { executionId, status: "finished" };
  } catch (error) {
    // Anything unexpected ends the run as failed with every credit refunded, never stuck running.
    await step.run("fail", () => failExecution(executionId, "internal", error instanceof Error ? error.message : String(error)));
    await step.run("announce-failed", () => announceExecutionFinished(event.data));
    throw error;
  }
}

export const runAgentFunction = inngest.createFunction(
  {
    id: "run-agent",
    triggers: [{ event: events.executionQueued }],
    concurrency: { key: "event.data.workspaceId", limit: 2 },
    retries: 3,
  },
  ({ event, step }) => runAgent({ event: event as unknown as { data: ExecutionQueuedData }, step: step as unknown as RunStep }),
);
