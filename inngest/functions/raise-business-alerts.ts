import { raiseBusinessAlerts } from "@/lib/notifications/business-alerts";
import { deliverWebhook, queueAwaitingApprovalWebhooks } from "@/lib/webhooks/deliver";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every hour: admins hear about recommendations waiting a week and a balance below 10 % (and webhooks of the first). */
export async function raiseBusinessAlertsHandler({ step, now }: ScheduledHandlerInput) {
  const alerts = await step.run("raise-business-alerts", () => raiseBusinessAlerts(now ?? new Date()));
  const deliveryIds = await step.run("queue-webhooks", () => queueAwaitingApprovalWebhooks(alerts.awaiting));
  for (const deliveryId of deliveryIds) await step.run(`deliver-webhook-${deliveryId}`, () => deliverWebhook(deliveryId));
  return { raised: alerts.raised, webhooks: deliveryIds.length };
}

export const raiseBusinessAlertsFunction = scheduledFunction({ id: "raise-business-alerts", cron: "5 * * * *" }, raiseBusinessAlertsHandler);
