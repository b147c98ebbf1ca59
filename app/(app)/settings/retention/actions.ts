"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { answerOf, type Answer } from "@/lib/outcome";
import { saveRetentionPeriods } from "@/lib/retention/settings";

export async function saveRetentionPeriodsAction(_previous: Answer | null, formData: FormData): Promise<Answer> {
  const ctx = await requireSessionContext();
  const result = await saveRetentionPeriods(ctx, {
    retentionSuccessDays: formData.get("retentionSuccessDays"),
    retentionFailureDays: formData.get("retentionFailureDays"),
  });
  revalidatePath("/settings/retention");
  return answerOf(result);
}
