import { deliverWebhook, listDueWebhookDeliveries } from "@/lib/webhooks/deliver";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every minute: webhook deliveries whose next try is due (backoff in lib/webhooks/deliver.ts). */
export async function retryWebhooksHandler({ step, now }: ScheduledHandlerInput) {
  const at = now ?? new Date();
  const deliveryIds = await step.run("list-due-deliveries", () => listDueWebhookDeliveries(at));
  const outcomes: Record<string, number> = {};
  for (const deliveryId of deliveryIds) {
    const outcome = await step.run(`deliver-webhook-${deliveryId}`, () => deliverWebhook(deliveryId, at));
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return { tried: deliveryIds.length, outcomes };
}

export const retryWebhooksFunction = scheduledFunction({ id: "retry-webhooks", cron: "* * * * *" }, retryWebhooksHandler);
