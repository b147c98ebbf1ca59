"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { requestCancel } from "@/lib/executions/cancel";

export async function cancelRun(executionId: string): Promise<{ ok: boolean; message?: string }> {
  const ctx = await requireSessionContext();
  const result = await requestCancel(ctx, executionId);
  revalidatePath("/", "layout");
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}
