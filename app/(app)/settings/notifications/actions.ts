"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { saveNotificationPreferences } from "@/lib/notifications/settings";
import { answerOf, type Answer } from "@/lib/outcome";

const switches = ["isCompletionEnabled", "isFailureEnabled", "isWeeklySummaryEnabled", "isCreditThresholdEnabled", "isWorkspaceFailureEnabled", "isEmailEnabled"] as const;

export async function saveNotificationPreferencesAction(_previous: Answer | null, formData: FormData): Promise<Answer> {
  const ctx = await requireSessionContext();
  const raw: Record<string, unknown> = {
    completionMinMinutes: formData.get("completionMinMinutes"),
    creditThreshold: formData.get("creditThreshold"),
  };
  for (const name of switches) raw[name] = formData.get(name) === "on";
  const result = await saveNotificationPreferences(ctx, raw);
  revalidatePath("/settings/notifications");
  return answerOf(result);
}
