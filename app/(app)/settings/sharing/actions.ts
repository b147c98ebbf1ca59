"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { answerOf, type Answer } from "@/lib/outcome";
import { setExternalLinksAllowed } from "@/lib/shares/settings";

export async function setExternalLinksAllowedAction(isAllowed: boolean): Promise<Answer> {
  const ctx = await requireSessionContext();
  const result = await setExternalLinksAllowed(ctx, isAllowed);
  revalidatePath("/settings/sharing");
  return answerOf(result);
}
