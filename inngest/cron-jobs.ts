/**
 * The notification and retention crons for the embedded scheduler (inngest/scheduler.ts):
 * with no Inngest configured, each job runs when its own cron expression — the same one its
 * Inngest function is triggered by — comes due between two ticks. Nothing runs at start-up.
 */
import { nextRunAfter } from "@/lib/workflows/schedule";
import { directStep } from "./embedded";
import { archiveExecutionsFunction, archiveExecutionsHandler } from "./functions/archive-executions";
import { raiseBusinessAlertsFunction, raiseBusinessAlertsHandler } from "./functions/raise-business-alerts";
import { retryEmailsFunction, retryEmailsHandler } from "./functions/retry-emails";
import { sendWeeklySummariesFunction, sendWeeklySummariesHandler } from "./functions/send-weekly-summaries";
import type { RunStep } from "./functions/run-agent";

type CronJob = { name: string; function: { opts: unknown }; run: (input: { step: RunStep; now?: Date }) => Promise<unknown> };

const jobs: CronJob[] = [
  { name: "weekly summaries", function: sendWeeklySummariesFunction, run: sendWeeklySummariesHandler },
  { name: "business alerts", function: raiseBusinessAlertsFunction, run: raiseBusinessAlertsHandler },
  { name: "archival", function: archiveExecutionsFunction, run: archiveExecutionsHandler },
  { name: "email retries", function: retryEmailsFunction, run: retryEmailsHandler },
];

type State = { lastCheckedAt?: Date };
const state: State = ((globalThis as { __runlogCronJobs?: State }).__runlogCronJobs ??= {});

/** The function's cron trigger, read from its Inngest definition so the two never differ. */
export function cronOf(fn: { opts: unknown }): string {
  const triggers = (fn.opts as { triggers?: { cron?: string }[] }).triggers ?? [];
  const cron = triggers.find((trigger) => trigger.cron)?.cron;
  if (!cron) throw new Error("a scheduled function needs a cron trigger");
  return cron;
}

/** Runs every job whose cron time fell in (last check, now]; the first call only starts the clock. */
export async function runDueCronJobs(now: Date = new Date()): Promise<string[]> {
  const since = state.lastCheckedAt;
  state.lastCheckedAt = now;
  if (!since) return [];
  const ran: string[] = [];
  for (const job of jobs) {
    if (nextRunAfter(cronOf(job.function), "UTC", since) > now) continue;
    try {
      await job.run({ step: directStep, now });
      ran.push(job.name);
    } catch (error) {
      console.error(`Runlog: scheduled ${job.name} failed:`, error);
    }
  }
  return ran;
}
