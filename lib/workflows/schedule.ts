import { CronExpressionParser } from "cron-parser";
import { z } from "zod";

/** Five-field cron schedules, evaluated in the workflow's time zone. */
export function nextRunAfter(schedule: string, timeZone: string, after: Date): Date {
  return CronExpressionParser.parse(schedule, { currentDate: after, tz: timeZone }).next().toDate();
}

export const scheduleSchema = z
  .string()
  .trim()
  .min(1, "Enter a schedule.")
  .max(100)
  .refine((value) => value.split(/\s+/).length === 5, "Use five cron fields: minute hour day month weekday (e.g. 0 6 * * 1).")
  .refine((value) => {
    try {
      CronExpressionParser.parse(value);
      return true;
    } catch {
      return false;
    }
  }, "That is not a valid cron schedule (e.g. 0 6 * * 1 runs Mondays at 06:00).");

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone.");

export const schedulePresets = [
  { label: "Every day at 02:00", value: "0 2 * * *" },
  { label: "Every Monday at 06:00", value: "0 6 * * 1" },
  { label: "Every hour", value: "0 * * * *" },
  { label: "First day of the month at 07:00", value: "0 7 1 * *" },
] as const;
