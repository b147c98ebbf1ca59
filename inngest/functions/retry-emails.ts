import { deliverEmail, listDueEmailRetries } from "@/lib/notifications/email";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every minute: emails the mail server turned away for now whose next try is due (lib/notifications/email.ts). */
export async function retryEmailsHandler({ step, now }: ScheduledHandlerInput) {
  const emailIds = await step.run("list-due-retries", () => listDueEmailRetries(now ?? new Date()));
  const outcomes: Record<string, number> = {};
  for (const emailId of emailIds) {
    const outcome = await step.run(`send-email-${emailId}`, () => deliverEmail(emailId));
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { tried: emailIds.length, outcomes };
}

export const retryEmailsFunction = scheduledFunction({ id: "retry-emails", cron: "* * * * *" }, retryEmailsHandler);
