import { deliverEmail, listUnsentEmailIds } from "@/lib/notifications/email";
import { sendDueWeeklySummaries } from "@/lib/notifications/weekly-summary";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every hour: the weekly summary for everyone whose Monday 08:00 (their time zone) has come. */
export async function sendWeeklySummariesHandler({ step, now }: ScheduledHandlerInput) {
  const summaries = await step.run("record-summaries", () => sendDueWeeklySummaries(now ?? new Date()));
  const emailIds = await step.run("list-unsent-emails", () => listUnsentEmailIds(summaries.emailKeys));
  for (const emailId of emailIds) await step.run(`send-email-${emailId}`, () => deliverEmail(emailId));
  return { sent: summaries.sent, emails: emailIds.length };
}

export const sendWeeklySummariesFunction = scheduledFunction({ id: "send-weekly-summaries", cron: "0 * * * *" }, sendWeeklySummariesHandler);
