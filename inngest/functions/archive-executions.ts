import { archiveExpiredExecutions } from "@/lib/retention/archive";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

const stepBudgetMs = 20_000;
const maxSteps = 500;

/**
 * Every 15 minutes, and on start: archive executions past their workspace's retention period
 * (F16), in steps of at most ~20 s of bounded transactions each; a retried step finds what it
 * archived gone. Running on start and often is what catches up after downtime (or a fresh
 * install with old runs): with nothing expired it is one short query per workspace and status.
 */
export async function archiveExecutionsHandler({ step, now }: ScheduledHandlerInput) {
  const at = (now ?? new Date()).toISOString();
  let archived = 0;
  for (let n = 1; n <= maxSteps; n++) {
    const run = await step.run(`archive-${n}`, () => archiveExpiredExecutions({ now: new Date(at), timeBudgetMs: stepBudgetMs }));
    archived += run.archived;
    if (run.isDone) return { archived, steps: n };
  }
  return { archived, steps: maxSteps };
}

export const archiveExecutionsFunction = scheduledFunction({ id: "archive-executions", cron: "*/15 * * * *", runsOnStart: true, concurrency: { limit: 1 } }, archiveExecutionsHandler);
