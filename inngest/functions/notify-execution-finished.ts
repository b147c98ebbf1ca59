import { deliverEmail, listUnsentEmailIds } from "@/lib/notifications/email";
import { notifyExecutionFinished } from "@/lib/notifications/execution-finished";
import { deliverWebhook, queueExecutionWebhooks } from "@/lib/webhooks/deliver";
import { eventFunction, events, type EventHandlerInput, type ExecutionFinishedData } from "../client";

/**
 * `execution.finished` → completion, failure and credit-threshold notices for the right
 * people, then their emails one step each. Notices and emails are keyed per execution and
 * person, and an email is claimed before it is sent, so a retry never sends twice. Then the
 * workspace's webhooks hear of it (execution.finished or .failed, credits.threshold_exceeded),
 * one step per delivery; one that fails is retried by the retry-webhooks cron.
 */
export async function notifyExecutionFinishedHandler({ event, step }: Pick<EventHandlerInput<ExecutionFinishedData>, "event" | "step">) {
  const { executionId } = event.data;
  const recorded = await step.run("record-notices", () => notifyExecutionFinished(executionId));
  const emailIds = await step.run("list-unsent-emails", () => listUnsentEmailIds(recorded.emailKeys));
  for (const emailId of emailIds) await step.run(`send-email-${emailId}`, () => deliverEmail(emailId));
  const deliveryIds = await step.run("queue-webhooks", () => queueExecutionWebhooks(executionId));
  for (const deliveryId of deliveryIds) await step.run(`deliver-webhook-${deliveryId}`, () => deliverWebhook(deliveryId));
  return { executionId, notified: recorded.notified, emails: emailIds.length, webhooks: deliveryIds.length };
}

export const notifyExecutionFinishedFunction = eventFunction(
  { id: "notify-execution-finished", event: events.executionFinished, retries: 5 },
  notifyExecutionFinishedHandler,
);
