import { forgetOldSubmissions } from "@/lib/submissions/forget";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every hour: forget forms' submission ids older than a week (lib/submissions/forget.ts). */
export async function forgetFormSubmissionsHandler({ step }: ScheduledHandlerInput) {
  return step.run("forget-old-submissions", () => forgetOldSubmissions());
}

export const forgetFormSubmissionsFunction = scheduledFunction({ id: "forget-form-submissions", cron: "43 * * * *", runsOnStart: true }, forgetFormSubmissionsHandler);
