"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/inbox";
import { answerOf, type Answer } from "@/lib/outcome";

export async function markNotificationReadAction(id: string): Promise<Answer> {
  const ctx = await requireSessionContext();
  const result = await markNotificationRead(ctx, id);
  revalidatePath("/notifications");
  return answerOf(result);
}

export async function markAllNotificationsReadAction(): Promise<Answer<{ marked: number }>> {
  const ctx = await requireSessionContext();
  const result = await markAllNotificationsRead(ctx);
  revalidatePath("/notifications");
  return answerOf(result);
}
