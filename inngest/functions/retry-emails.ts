import { deliverEmail, listDueEmailRetries } from "@/lib/notifications/email";
import { inngest } from "../client";
import type { RunStep } from "./run-agent";

/** Every minute: emails the mail server turned away for now whose next try is due (lib/notifications/email.ts). */
export async function retryEmailsHandler({ step, now }: { step: RunStep; now?: Date }) {
  const emailIds = await step.run("list-due-retries", () => listDueEmailRetries(now ?? new Date()));
  const outcomes: Record<string, number> = {};
  for (const emailId of emailIds) {
    const outcome = await step.run(`send-email-${emailId}`, () => deliverEmail(emailId));
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { tried: emailIds.length, outcomes };
}

export const retryEmailsFunction = inngest.createFunction(
  { id: "retry-emails", triggers: [{ cron: "* * * * *" }] },
  ({ step }) => retryEmailsHandler({ step: step as unknown as RunStep }),
);
