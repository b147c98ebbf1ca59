import { raiseBusinessAlerts } from "@/lib/notifications/business-alerts";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every hour: admins hear about recommendations waiting a week and a balance below 10 %. */
export async function raiseBusinessAlertsHandler({ step, now }: ScheduledHandlerInput) {
  return step.run("raise-business-alerts", () => raiseBusinessAlerts(now ?? new Date()));
}

export const raiseBusinessAlertsFunction = scheduledFunction({ id: "raise-business-alerts", cron: "5 * * * *" }, raiseBusinessAlertsHandler);
