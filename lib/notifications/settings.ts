import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { notificationSettings } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";

/** One person's alerts in one workspace (F14). */
export type NotificationPreferences = {
  isCompletionEnabled: boolean;
  completionMinMinutes: number;
  isFailureEnabled: boolean;
  isWeeklySummaryEnabled: boolean;
  isCreditThresholdEnabled: boolean;
  creditThreshold: number;
  /** Admins only: failures of other members' runs too. */
  isWorkspaceFailureEnabled: boolean;
  isEmailEnabled: boolean;
};

/** What someone who never saved the page gets: the table's defaults. */
export const defaultPreferences: NotificationPreferences = {
  isCompletionEnabled: true,
  completionMinMinutes: 5,
  isFailureEnabled: true,
  isWeeklySummaryEnabled: false,
  isCreditThresholdEnabled: false,
  creditThreshold: 500,
  isWorkspaceFailureEnabled: false,
  isEmailEnabled: true,
};

const notificationPreferencesSchema = z.object({
  isCompletionEnabled: z.boolean({ error: "Choose on or off for completion notifications." }),
  completionMinMinutes: z.coerce
    .number({ error: "Enter the minutes after which a finished run notifies you." })
    .int("Minutes must be a whole number.")
    .min(0, "Minutes cannot be negative.")
    .max(1440, "Choose at most 1,440 minutes (a day)."),
  isFailureEnabled: z.boolean({ error: "Choose on or off for failure alerts." }),
  isWeeklySummaryEnabled: z.boolean({ error: "Choose on or off for the weekly summary." }),
  isCreditThresholdEnabled: z.boolean({ error: "Choose on or off for the credit threshold." }),
  creditThreshold: z.coerce
    .number({ error: "Enter the credits one execution may use before you are alerted." })
    .int("Credits must be a whole number.")
    .min(1, "The credit threshold must be at least 1.")
    .max(10_000_000, "Choose at most 10,000,000 credits."),
  isWorkspaceFailureEnabled: z.boolean().default(false),
  isEmailEnabled: z.boolean({ error: "Choose on or off for email." }),
});

export async function getNotificationPreferences(ctx: Ctx): Promise<NotificationPreferences> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(notificationSettings)
    .where(and(eq(notificationSettings.workspaceId, ctx.workspaceId), eq(notificationSettings.userId, ctx.userId)));
  if (!row) return { ...defaultPreferences };
  return {
    isCompletionEnabled: row.isCompletionEnabled, completionMinMinutes: row.completionMinMinutes, isFailureEnabled: row.isFailureEnabled,
    isWeeklySummaryEnabled: row.isWeeklySummaryEnabled, isCreditThresholdEnabled: row.isCreditThresholdEnabled, creditThreshold: row.creditThreshold,
    isWorkspaceFailureEnabled: row.isWorkspaceFailureEnabled, isEmailEnabled: row.isEmailEnabled,
  };
}

/** Saves the signed-in person's alerts for the current workspace; only admins may follow others' failures. */
export async function saveNotificationPreferences(ctx: Ctx, raw: unknown): Promise<Outcome<{ preferences: NotificationPreferences }>> {
  if (ctx.linkShare) return failure("forbidden", "Sign in to change your notifications.");
  const parsed = notificationPreferencesSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]!.message);
  if (parsed.data.isWorkspaceFailureEnabled && !isAdmin(ctx)) {
    return failure("forbidden", "Only workspace admins can be alerted about other members' failures.");
  }
  const preferences = parsed.data;
  const db = await getDb();
  await db
    .insert(notificationSettings)
    .values({ workspaceId: ctx.workspaceId, userId: ctx.userId, ...preferences })
    .onConflictDoUpdate({ target: [notificationSettings.workspaceId, notificationSettings.userId], set: { ...preferences, updatedAt: sql`now()` } });
  return { ok: true, preferences };
}
