import { beginExecution, failExecution, finishExecution, processBatch } from "@/lib/executions/engine";
import { eventFunction, events, type EventHandlerInput, type ExecutionQueuedData, type RunStep } from "../client";

/**
 * Runs one execution: begin, one durable step per batch (cancel is checked between
 * batches), finish. Each step commits on its own and is idempotent, so retries and resumes
 * after a crash continue where the run stopped.
 */
export async function runAgent({ event, step }: Pick<EventHandlerInput<ExecutionQueuedData>, "event" | "step">) {
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
    await announceFinished(step, event.data, "announce-finished");
    return { executionId, status: "finished" };
  } catch (error) {
    // Anything unexpected ends the run as failed with every credit refunded, never stuck running.
    await step.run("fail", () => failExecution(executionId, "internal", error instanceof Error ? error.message : String(error)));
    await announceFinished(step, event.data, "announce-failed");
    throw error;
  }
}

/** `execution.finished`, with an id per execution so a resent event counts once. */
function announceFinished(step: RunStep, { executionId, workspaceId }: ExecutionQueuedData, stepId: string) {
  return step.sendEvent(stepId, { id: `execution-finished-${executionId}`, name: events.executionFinished.name, data: { executionId, workspaceId } });
}

export const runAgentFunction = eventFunction(
  { id: "run-agent", event: events.executionQueued, inProcess: "background", concurrency: { key: "event.data.workspaceId", limit: 2 }, retries: 3 },
  runAgent,
);
