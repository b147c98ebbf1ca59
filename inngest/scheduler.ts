/**
 * The in-process stand-in for Inngest's cron triggers: with no Inngest configured, every
 * scheduled function of the registry (inngest/functions/index.ts) runs here when its own
 * cron expression comes due between two ticks, and those marked `runsOnStart` also run at
 * once on start.
 */
import { nextRunAfter } from "@/lib/workflows/schedule";
import type { ScheduledFunction } from "./client";
import { directStep } from "./embedded";
import { scheduledFunctions } from "./functions";

const everyMs = 30_000;

type State = { timer?: NodeJS.Timeout; isTicking: boolean; lastCheckedAt?: Date };
const state: State = ((globalThis as { __runlogScheduler?: State }).__runlogScheduler ??= { isTicking: false });

export function startEmbeddedScheduler(): void {
  if (state.timer) return;
  state.timer = setInterval(() => void tick(), everyMs);
  state.timer.unref();
  void tick();
}

export function stopEmbeddedScheduler(): void {
  if (state.timer) clearInterval(state.timer);
  state.timer = undefined;
}

async function tick() {
  if (state.isTicking) return; // a slow tick is still running: skip, never overlap
  state.isTicking = true;
  try {
    await runDueScheduledFunctions();
  } finally {
    state.isTicking = false;
  }
}

/**
 * Runs every in-process scheduled function whose cron time fell in (last check, now]; the
 * first call runs only those marked `runsOnStart` and starts the clock.
 */
export async function runDueScheduledFunctions(now: Date = new Date(), functions: ScheduledFunction[] = scheduledFunctions): Promise<string[]> {
  const since = state.lastCheckedAt;
  state.lastCheckedAt = now;
  const ran: string[] = [];
  for (const fn of functions) {
    if (!fn.runsInProcess) continue;
    const isDue = since ? nextRunAfter(fn.cron, "UTC", since) <= now : fn.runsOnStart;
    if (!isDue) continue;
    try {
      await fn.handler({ step: directStep, now });
      ran.push(fn.id);
    } catch (error) {
      console.error(`Runlog: scheduled ${fn.id} failed:`, error);
    }
  }
  return ran;
}
