/**
 * The in-process backend: with no Inngest configured, events are handled in this Node
 * process by the same functions (inngest/functions/index.ts), found by event name. Steps run
 * directly, their results JSON-cloned as Inngest would store them; a function's per-key
 * concurrency limit holds here too; a run is tracked until it settles.
 */
import { listUnfinishedExecutions } from "@/lib/executions/recovery";
import { events, type EventFunction, type ExecutionQueuedData, type RunlogEvent, type RunStep } from "./client";
import { functionsTriggeredBy } from "./functions";

type Queue = { active: number; waiting: (() => void)[] };
type State = { queues: Map<string, Queue>; inFlight: Map<string, Promise<void>> };
const state: State = ((globalThis as { __runlogEmbedded?: State }).__runlogEmbedded ??= { queues: new Map(), inFlight: new Map() });

export const directStep: RunStep = {
  async run(_id, work) {
    // Each step first lets the event loop turn, as Inngest's separate step requests would:
    // PGlite answers without real I/O, so a run's chain of promises would otherwise keep the
    // server from answering pages (and timers from firing) until the whole run is done.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return JSON.parse(JSON.stringify((await work()) ?? null));
  },
  async sendEvent(_id, event) {
    await handleEventInProcess(event);
  },
};

/**
 * Hands an event to the functions it triggers. Short handlers (notifications) are awaited;
 * a run is left to go on in the background. A handler's failure is logged, never thrown:
 * whoever sent the event has already done its part.
 */
export async function handleEventInProcess(event: RunlogEvent): Promise<void> {
  for (const fn of functionsTriggeredBy(event.name)) {
    const run = startInProcess(fn, event.data);
    if (fn.inProcess === "await") await run;
  }
}

/** Handles an event in-process and resolves once every function it triggered has settled (tests, benchmarks). */
async function runInProcess(event: RunlogEvent): Promise<void> {
  await Promise.all(functionsTriggeredBy(event.name).map((fn) => startInProcess(fn, event.data)));
}

/** Runs a queued execution in-process and resolves once it has settled. */
export function runExecutionInProcess(data: ExecutionQueuedData): Promise<void> {
  return runInProcess({ name: events.executionQueued.name, data });
}

/** Starts a function on an event's data, or joins the same call already going. */
function startInProcess(fn: EventFunction, data: RunlogEvent["data"]): Promise<void> {
  const key = `${fn.id}:${JSON.stringify(data)}`;
  const existing = state.inFlight.get(key);
  if (existing) return existing;
  const run = withConcurrencySlot(fn, data, () => fn.handle({ data, step: directStep, runId: `in-process:${key}` }))
    .then(() => undefined)
    .catch((error) => console.error(`Runlog: ${fn.id} failed for ${JSON.stringify(data)}:`, error))
    .finally(() => state.inFlight.delete(key));
  state.inFlight.set(key, run);
  return run;
}

/** Inngest's `concurrency: { key: "event.data.<field>", limit }`, applied within this process. */
async function withConcurrencySlot<T>(fn: EventFunction, data: RunlogEvent["data"], work: () => Promise<T>): Promise<T> {
  if (!fn.concurrency) return work();
  const field = /^event\.data\.(\w+)$/.exec(fn.concurrency.key)?.[1];
  if (!field) throw new Error(`${fn.id}: the in-process backend reads concurrency keys of the form event.data.<field> only`);
  const slot = `${fn.id}:${String((data as Record<string, unknown>)[field])}`;
  const queue = state.queues.get(slot) ?? { active: 0, waiting: [] };
  state.queues.set(slot, queue);
  if (queue.active >= fn.concurrency.limit) await new Promise<void>((resolve) => queue.waiting.push(resolve));
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
  const unfinished = await listUnfinishedExecutions();
  for (const run of unfinished) void runExecutionInProcess(run);
  return unfinished.length;
}
