import { serve } from "inngest/next";
import { inngest, isInngestConfigured } from "@/inngest/client";
import { runAgentFunction } from "@/inngest/functions/run-agent";
import { purgeReportFilesFunction } from "@/inngest/functions/purge-report-files";
import { runDueWorkflowsFunction } from "@/inngest/functions/run-due-workflows";
import { archiveExecutionsFunction } from "@/inngest/functions/archive-executions";
import { notifyExecutionFinishedFunction } from "@/inngest/functions/notify-execution-finished";
import { raiseBusinessAlertsFunction } from "@/inngest/functions/raise-business-alerts";
import { retryEmailsFunction } from "@/inngest/functions/retry-emails";
import { sendWeeklySummariesFunction } from "@/inngest/functions/send-weekly-summaries";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

const handlers = serve({
  client: inngest,
  functions: [
    runAgentFunction, runDueWorkflowsFunction, purgeReportFilesFunction,
    notifyExecutionFinishedFunction, sendWeeklySummariesFunction, archiveExecutionsFunction, raiseBusinessAlertsFunction,
    retryEmailsFunction,
  ],
});

// With no Inngest configured, executions run in-process and nothing calls this endpoint;
// answering plainly beats the SDK's 500 for a missing signing key.
function notConfigured() {
  return failureResponse(failure("not_found", "Inngest is not configured here; executions run in-process."));
}

export const GET = (...args: Parameters<typeof handlers.GET>) => (isInngestConfigured() ? handlers.GET(...args) : notConfigured());
export const POST = (...args: Parameters<typeof handlers.POST>) => (isInngestConfigured() ? handlers.POST(...args) : notConfigured());
export const PUT = (...args: Parameters<typeof handlers.PUT>) => (isInngestConfigured() ? handlers.PUT(...args) : notConfigured());
