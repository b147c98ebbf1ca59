import { raiseBusinessAlerts } from "@/lib/notifications/business-alerts";
import { inngest } from "../client";
import type { RunStep } from "./run-agent";

/** Every hour: admins hear about recommendations waiting a week and a balance below 10 %. */
export async function raiseBusinessAlertsHandler({ step, now }: { step: RunStep; now?: Date }) {
  return step.run("raise-business-alerts", () => raiseBusinessAlerts(now ?? new Date()));
}

export const raiseBusinessAlertsFunction = inngest.createFunction(
  { id: "raise-business-alerts", triggers: [{ cron: "5 * * * *" }] },
  ({ step }) => raiseBusinessAlertsHandler({ step: step as unknown as RunStep }),
);
