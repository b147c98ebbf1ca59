/**
 * The in-process backend: runs the same Inngest function handlers in this Node process
 * when no Inngest is configured. Steps execute directly (their results are JSON-cloned, as
 * Inngest would serialize them); runs per workspace are limited like Inngest's concurrency
 * key; a run is tracked until it settles so tests and shutdown can wait for it.
 */
import type { ExecutionQueuedData } from "./client";
import { runAgent, type RunStep } from "./functions/run-agent";

const perWorkspaceLimit = 2;

type Queue = { active: number; waiting: (() => void)[] };
type State = { queues: Map<string, Queue>; inFlight: Map<string, Promise<void>> };
const state: State = ((globalThis as { __runlogEmbedded?: State }).__runlogEmbedded ??= { queues: new Map(), inFlight: new Map() });

export const directStep: RunStep = {
  async run(_id, work) {
    // Each step first lets the event loop turn, as Inngest's separate step requests would:
    // PGlite answers without real I/O, so a run's chain of promises would otherwise keep the
    // server from answering pages (and timers from firing) until the whole run is done.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const result = await work();
    return result === undefined ? result : JSON.parse(JSON.stringify(result));
  },
};

/** Starts (or joins) the in-process run of an execution. */
export function runExecutionInProcess(data: ExecutionQueuedData): Promise<void> {
  const existing = state.inFlight.get(data.executionId);
  if (existing) return existing;
  const run = withWorkspaceSlot(data.workspaceId, () => runAgent({ event: { data }, step: directStep }))
    .then(() => undefined)
    .catch((error) => console.error(`Runlog: execution ${data.executionId} failed:`, error))
    .finally(() => state.inFlight.delete(data.executionId));
  state.inFlight.set(data.executionId, run);
  return run;
}

/** Waits until every in-process run has settled. */
export async function settleInProcessRuns(): Promise<void> {
  while (state.inFlight.size) await Promise.all([...state.inFlight.values()]);
}

async function withWorkspaceSlot<T>(workspaceId: string, work: () => Promise<T>): Promise<T> {
  const queue = state.queues.get(workspaceId) ?? { active: 0, waiting: [] };
  state.queues.set(workspaceId, queue);
  if (queue.active >= perWorkspaceLimit) await new Promise<void>((resolve) => queue.waiting.push(resolve));
  queue.active++;
  try {
    return await work();
  } finally {
    queue.active--;
    queue.waiting.shift()?.();
  }
}

/** On start: picks up every run a previous process left unfinished (they resume after their last batch). */
export async function resumeUnfinishedExecutions(): Promise<number> {
  const { listUnfinishedExecutions } = await import("@/lib/executions/recovery");
  const unfinished = await listUnfinishedExecutions();
  for (const run of unfinished) void runExecutionInProcess(run);
  return unfinished.length;
}
