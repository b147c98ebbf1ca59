/**
 * The in-process stand-in for Inngest's cron triggers: with no Inngest configured, the
 * scheduled functions run here on a timer. The handlers are the Inngest functions' own.
 */
import { directStep } from "./embedded";
import { runDueWorkflowsHandler } from "./functions/run-due-workflows";

const everyMs = 30_000;

type State = { timer?: NodeJS.Timeout; isTicking: boolean };
const state: State = ((globalThis as { __runlogScheduler?: State }).__runlogScheduler ??= { isTicking: false });

export function startEmbeddedScheduler(): void {
  if (state.timer) return;
  state.timer = setInterval(() => void tick(), everyMs);
  state.timer.unref();
  void tick();
}

async function tick() {
  if (state.isTicking) return; // a slow tick is still running: skip, never overlap
  state.isTicking = true;
  try {
    await runDueWorkflowsHandler({ step: directStep });
  } catch (error) {
    console.error("Runlog: scheduled workflows failed:", error);
  } finally {
    state.isTicking = false;
  }
}
