/**
 * The in-process stand-in for Inngest's cron triggers: with no Inngest configured, the
 * scheduled functions run here on a timer. The handlers are the Inngest functions' own.
 */
import { runDueCronJobs } from "./cron-jobs";
import { directStep } from "./embedded";
import { purgeReportFilesHandler } from "./functions/purge-report-files";
import { runDueWorkflowsHandler } from "./functions/run-due-workflows";

const everyMs = 30_000;
const purgeEveryMs = 60 * 60_000;

type State = { timer?: NodeJS.Timeout; isTicking: boolean; lastPurgeAt?: number };
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
  }
  try {
    if (Date.now() - (state.lastPurgeAt ?? 0) >= purgeEveryMs) {
      state.lastPurgeAt = Date.now();
      await purgeReportFilesHandler({ step: directStep });
    }
  } catch (error) {
    console.error("Runlog: purging expired report files failed:", error);
  }
  try {
    await runDueCronJobs(); // notifications and retention (inngest/cron-jobs.ts)
  } catch (error) {
    console.error("Runlog: scheduled jobs failed:", error);
  } finally {
    state.isTicking = false;
  }
}
