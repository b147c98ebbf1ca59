import { retryOnConnectionLoss } from "@/db/client";
import { beginExecution, failExecution, finishExecution, hasEndedWith, processBatches } from "@/lib/executions/engine";
import { leaseMs, StalledStepError, withLease, type LeaseHold } from "@/lib/executions/ownership";
import { eventFunction, events, type EventHandlerInput, type ExecutionQueuedData, type RunStep } from "../client";

/**
 * Inngest allows 1,000 steps per function run. A run takes begin, finish, an announcement and
 * perhaps a fail step beside its batch steps, so its batches go into at most this many steps.
 */
export const maxBatchSteps = 900;
/** Fewer, larger steps cost less (each is a request from Inngest); 10 batches are 2,000 items, a few seconds of work. */
export const minBatchesPerStep = 10;

/**
 * The steps that cover batches `batchesDone`…`batchCount - 1`: never more than `maxBatchSteps`,
 * whatever the run's size (a million items are 5,000 batches in 500 steps). Derived only from
 * what the begin step returned, so every replay of the function plans the same steps.
 */
export function planBatchSteps(batchCount: number, batchesDone: number): { first: number; last: number }[] {
  const perStep = Math.max(minBatchesPerStep, Math.ceil(batchCount / maxBatchSteps));
  const steps: { first: number; last: number }[] = [];
  for (let first = batchesDone; first < batchCount; first += perStep) steps.push({ first, last: Math.min(first + perStep, batchCount) - 1 });
  return steps;
}

/**
 * A lease outlives the gaps between an owner's steps: none in-process (steps follow at once),
 * but Inngest may queue the next step of a run behind others, so its runs hold five minutes.
 */
export function ownerOfRun(runId: string): { owner: string; leaseMs: number } {
  return runId.startsWith("instance:") ? { owner: runId, leaseMs } : { owner: `inngest:${runId}`, leaseMs: Math.max(leaseMs, 5 * 60_000) };
}

/**
 * Runs one execution: begin (take it up), batch steps, finish. Each step commits on its own, is
 * idempotent and keeps the run's lease alive while it works; a step whose database connection
 * dropped is tried again on a fresh one with backoff. A run whose lease was taken by another
 * worker is left to it.
 */
export async function runAgent({ event, step, runId }: Pick<EventHandlerInput<ExecutionQueuedData>, "event" | "step" | "runId">) {
  const { executionId, handoff } = event.data;
  const { owner, leaseMs: lease } = ownerOfRun(runId);
  const holding = <T>(work: (hold: LeaseHold) => Promise<T>) => withLease(executionId, owner, (hold) => retryOnConnectionLoss(() => work(hold)), lease);
  try {
    const begun = await step.run("begin", () => retryOnConnectionLoss(() => beginExecution(executionId, owner, { handoff, leaseMs: lease })));
    if (!begun.shouldRun) return { executionId, status: "skipped" };
    for (const { first, last } of planBatchSteps(begun.batchCount, begun.batchesDone)) {
      const result = await step.run(`batches-${first + 1}-${last + 1}`, () => holding((hold) => processBatches(executionId, owner, first, last, hold)));
      if (!result.shouldContinue) break;
    }
    await step.run("finish", () => holding(() => finishExecution(executionId, owner)));
    return await announceIfEnded(step, event.data, owner, "announce-finished");
  } catch (error) {
    // A stalled step is not the run's fault: its lease runs out and the sweep takes it up again.
    if (error instanceof StalledStepError) throw error;
    // Anything unexpected ends the run as failed with every credit refunded. If even that
    // cannot be written (the database is gone), the lease runs out and the sweep takes over.
    await step.run("fail", () => retryOnConnectionLoss(() => failExecution(executionId, "internal", error instanceof Error ? error.message : String(error), owner)));
    await announceIfEnded(step, event.data, owner, "announce-failed");
    throw error;
  }
}

/** `execution.finished`, once, by whoever ended the run (with an id per execution so a resent event counts once). */
async function announceIfEnded(step: RunStep, { executionId, workspaceId }: ExecutionQueuedData, owner: string, stepId: string) {
  const hasEnded = await step.run(`${stepId}-check`, () => retryOnConnectionLoss(() => hasEndedWith(executionId, owner)));
  if (!hasEnded) return { executionId, status: "left to another worker" };
  await step.sendEvent(stepId, { id: `execution-finished-${executionId}`, name: events.executionFinished.name, data: { executionId, workspaceId } });
  return { executionId, status: "finished" };
}

export const runAgentFunction = eventFunction(
  { id: "run-agent", event: events.executionQueued, inProcess: "runner", concurrency: { key: "event.data.workspaceId", limit: 2 }, retries: 3 },
  runAgent,
);
