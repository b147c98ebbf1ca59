/**
 * The one list of background functions. The serve route (app/api/inngest) registers their
 * definitions with Inngest; without Inngest, the in-process backend (inngest/embedded.ts)
 * dispatches events to their handlers by name and the scheduler (inngest/scheduler.ts) runs
 * the scheduled ones on their crons.
 */
import type { EventFunction, ScheduledFunction } from "../client";
import { archiveExecutionsFunction } from "./archive-executions";
import { forgetFormSubmissionsFunction } from "./forget-form-submissions";
import { notifyExecutionFinishedFunction } from "./notify-execution-finished";
import { purgeReportFilesFunction } from "./purge-report-files";
import { raiseBusinessAlertsFunction } from "./raise-business-alerts";
import { retryEmailsFunction } from "./retry-emails";
import { retryWebhooksFunction } from "./retry-webhooks";
import { runAgentFunction } from "./run-agent";
import { resumeBulkJobsFunction, runBulkJobFunction } from "./run-bulk-job";
import { runDueWorkflowsFunction } from "./run-due-workflows";
import { sendWeeklySummariesFunction } from "./send-weekly-summaries";
import { sweepRunsFunction } from "./sweep-runs";

export const eventFunctions: EventFunction[] = [runAgentFunction, notifyExecutionFinishedFunction, runBulkJobFunction];

export const scheduledFunctions: ScheduledFunction[] = [
  runDueWorkflowsFunction, purgeReportFilesFunction, sendWeeklySummariesFunction, raiseBusinessAlertsFunction,
  archiveExecutionsFunction, retryEmailsFunction, retryWebhooksFunction, sweepRunsFunction, resumeBulkJobsFunction,
  forgetFormSubmissionsFunction,
];

/** Every function's Inngest definition, for `serve()`. */
export const inngestFunctions = [...eventFunctions, ...scheduledFunctions].map((fn) => fn.definition);

/** The functions an event triggers. */
export function functionsTriggeredBy(eventName: string): EventFunction[] {
  return eventFunctions.filter((fn) => fn.event === eventName);
}
