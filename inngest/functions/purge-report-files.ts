import { purgeExpiredReportFiles } from "@/lib/exports/report-files";
import { inngest } from "../client";
import type { RunStep } from "./run-agent";

/** Every hour: remove report files past their 30 days (F16), and ones whose generation was abandoned. */
export async function purgeReportFilesHandler({ step }: { step: RunStep }) {
  return step.run("purge-expired-report-files", () => purgeExpiredReportFiles());
}

export const purgeReportFilesFunction = inngest.createFunction(
  { id: "purge-report-files", triggers: [{ cron: "17 * * * *" }] },
  ({ step }) => purgeReportFilesHandler({ step: step as unknown as RunStep }),
);
