import { deliverEmail, listUnsentEmailIds } from "@/lib/notifications/email";
import { notifyExecutionFinished } from "@/lib/notifications/execution-finished";
import { events, inngest, type ExecutionFinishedData } from "../client";
import type { RunStep } from "./run-agent";

/**
 * `execution.finished` → completion, failure and credit-threshold notices for the right
 * people, then their emails one step each. Notices and emails are keyed per execution and
 * person, and an email is claimed before it is sent, so a retry never sends twice.
 */
export async function notifyExecutionFinishedHandler({ event, step }: { event: { data: ExecutionFinishedData }; step: RunStep }) {
  const { executionId } = event.data;
  const recorded = await step.run("record-notices", () => notifyExecutionFinished(executionId));
  const emailIds = await step.run("list-unsent-emails", () => listUnsentEmailIds(recorded.emailKeys));
  for (const emailId of emailIds) await step.run(`send-email-${emailId}`, () => deliverEmail(emailId));
  return { executionId, notified: recorded.notified, emails: emailIds.length };
}

export const notifyExecutionFinishedFunction = inngest.createFunction(
  { id: "notify-execution-finished", triggers: [{ event: events.executionFinished }], retries: 5 },
  ({ event, step }) => notifyExecutionFinishedHandler({ event: event as unknown as { data: ExecutionFinishedData }, step: step as unknown as RunStep }),
);
