/**
 * The in-process backend: with no Inngest configured, events are handled in this Node
 * process by the same functions (inngest/functions/index.ts), found by event name. Steps run
 * directly, their results JSON-cloned as Inngest would store them.
 *
 * Runs go through the runner: the database is the queue. An instance takes up a queued run,
 * or one whose owner's lease expired, only while it has a free slot (RUNLOG_RUNS_PER_INSTANCE,
 * default 3; at most RUNLOG_RUNS_PER_WORKSPACE, default 2, of one workspace across instances),
 * and every RUNLOG_SWEEP_SECONDS (10) it looks again — so a run queued on a busy instance starts
 * on an idle one, and a dead instance's runs are taken over once their leases run out.
 */
import { warmAnalysisThreads } from "@/lib/agents/analysis/pool";
import { claimRun } from "@/lib/executions/engine";
import { instanceOwner, releaseLeases, sweepMs } from "@/lib/executions/ownership";
import { announceRunsQueued, findRunsToTakeUp, listenForQueuedRuns, type RunToTakeUp } from "@/lib/executions/sweep";
import { events, type EventFunction, type ExecutionQueuedData, type RunlogEvent, type RunStep } from "./client";
import { functionsTriggeredBy } from "./functions";
import { processRole } from "./process-role";

type Runner = { active: Map<string, Promise<void>>; isLooking: boolean; shouldLookAgain: boolean; timer?: NodeJS.Timeout; stopListening?: () => Promise<void> };
type State = { inFlight: Map<string, Promise<void>>; runner: Runner };
const state: State = ((globalThis as { __runlogEmbedded?: State }).__runlogEmbedded ??= {
  inFlight: new Map(),
  runner: { active: new Map(), isLooking: false, shouldLookAgain: false },
});

function limit(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
const runsPerInstance = limit("RUNLOG_RUNS_PER_INSTANCE", 3);
const runsPerWorkspace = limit("RUNLOG_RUNS_PER_WORKSPACE", 2);

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
 * Hands an event to the functions it triggers. A run goes to the runner; short handlers
 * (notifications) are awaited. A handler's failure is logged, never thrown: whoever sent the
 * event has already done its part.
 */
export async function handleEventInProcess(event: RunlogEvent): Promise<void> {
  for (const fn of functionsTriggeredBy(event.name)) {
    if (fn.inProcess !== "runner") await startInProcess(fn, event.data);
    else if (state.runner.timer) lookForRuns();
    else if (processRole() === "web") await announceRunsQueued();
    // No runner in this process (a script or a test): run this one execution here.
    else void runExecutionInProcess(event.data as ExecutionQueuedData);
  }
}

/** Starts a function on an event's data, or joins the same call already going. */
function startInProcess(fn: EventFunction, data: RunlogEvent["data"]): Promise<void> {
  const key = `${fn.id}:${JSON.stringify(data)}`;
  const existing = state.inFlight.get(key);
  if (existing) return existing;
  const run = fn
    .handle({ data, step: directStep, runId: instanceOwner() })
    .then(() => undefined)
    .catch((error) => console.error(`Runlog: ${fn.id} failed for ${JSON.stringify(data)}:`, error))
    .finally(() => state.inFlight.delete(key));
  state.inFlight.set(key, run);
  return run;
}

/**
 * Runs one execution here, now, whatever the slots (tests, benchmarks, the crash-test child),
 * and resolves once it has settled — or at once if another worker holds it.
 */
export async function runExecutionInProcess(data: ExecutionQueuedData): Promise<void> {
  const existing = state.runner.active.get(data.executionId);
  if (existing) return existing;
  if (!(await claimRun(data.executionId, instanceOwner()))) return;
  return startRun(data);
}

/**
 * Starts the runner's sweep: it looks for runs to take up now, every RUNLOG_SWEEP_SECONDS, and
 * whenever a web process announces a queued run.
 */
export function startEmbeddedRunner(): void {
  const runner = state.runner;
  if (runner.timer) return;
  runner.timer = setInterval(lookForRuns, sweepMs);
  runner.timer.unref();
  void warmAnalysisThreads().catch(() => {});
  listenForQueuedRuns(lookForRuns).then(
    (stop) => (runner.stopListening = stop),
    (error) => console.error("Runlog: not listening for queued runs (the sweep still finds them):", error instanceof Error ? error.message : error),
  );
  lookForRuns();
}

/**
 * Stops taking up runs and lets go of the ones in hand (a process stopping on purpose), so
 * another instance takes them up at its next sweep rather than when their leases run out.
 */
export async function stopEmbeddedRunner(): Promise<number> {
  const runner = state.runner;
  if (runner.timer) clearInterval(runner.timer);
  runner.timer = undefined;
  await runner.stopListening?.().catch(() => {});
  return runner.active.size ? releaseLeases(instanceOwner()) : 0;
}

/** Takes up runs while this instance has free slots. A call while one is looking makes it look once more. */
function lookForRuns(): void {
  void takeUpRuns();
}

/** Takes up waiting runs into free slots; answers how many it started (the sweep's tests read it). */
export async function takeUpRuns(): Promise<number> {
  const runner = state.runner;
  if (runner.isLooking) {
    runner.shouldLookAgain = true;
    return 0;
  }
  runner.isLooking = true;
  let started = 0;
  try {
    do {
      runner.shouldLookAgain = false;
      const free = runsPerInstance - runner.active.size;
      if (free <= 0) break;
      const { runs, heldByWorkspace } = await findRunsToTakeUp(free * 4 + 10);
      for (const run of runs) {
        if (runner.active.size >= runsPerInstance) break;
        if (runner.active.has(run.executionId) || (heldByWorkspace.get(run.workspaceId) ?? 0) >= runsPerWorkspace) continue;
        if (!(await claimRun(run.executionId, instanceOwner()))) continue;
        heldByWorkspace.set(run.workspaceId, (heldByWorkspace.get(run.workspaceId) ?? 0) + 1);
        void startRun(run);
        started++;
      }
    } while (runner.shouldLookAgain);
  } catch (error) {
    // Most likely the database is out of reach: the next sweep looks again.
    console.error("Runlog: could not look for runs to take up:", error instanceof Error ? error.message : error);
  } finally {
    runner.isLooking = false;
  }
  return started;
}

function startRun({ executionId, workspaceId }: RunToTakeUp): Promise<void> {
  const runner = state.runner;
  const [fn] = functionsTriggeredBy(events.executionQueued.name).filter((f) => f.inProcess === "runner");
  if (!fn) throw new Error("No function runs executions (inngest/functions/index.ts)");
  const run = fn
    .handle({ data: { executionId, workspaceId }, step: directStep, runId: instanceOwner() })
    .then(() => undefined)
    .catch((error) => console.error(`Runlog: execution ${executionId} stopped:`, error instanceof Error ? error.message : error))
    .finally(() => {
      runner.active.delete(executionId);
      if (runner.timer) lookForRuns(); // a slot is free
    });
  runner.active.set(executionId, run);
  return run;
}
