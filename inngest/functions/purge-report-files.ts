import { purgeExpiredReportFiles } from "@/lib/exports/report-files";
import { scheduledFunction, type ScheduledHandlerInput } from "../client";

/** Every hour: remove report files past their 30 days (F16), and ones whose generation was abandoned. */
export async function purgeReportFilesHandler({ step }: ScheduledHandlerInput) {
  return step.run("purge-expired-report-files", () => purgeExpiredReportFiles());
}

export const purgeReportFilesFunction = scheduledFunction({ id: "purge-report-files", cron: "17 * * * *", runsOnStart: true }, purgeReportFilesHandler);
