"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { dispatchExecution } from "@/inngest/dispatch";
import { requireSessionContext } from "@/lib/auth/session";
import { failExecution } from "@/lib/executions/engine";
import { estimateExecution, startExecution } from "@/lib/executions/start";

export type EstimateState = { ok: true; itemCount: number; credits: number } | { ok: false; message: string };

export async function estimateRun(input: unknown): Promise<EstimateState> {
  const ctx = await requireSessionContext();
  const result = await estimateExecution(ctx, input);
  return result.ok ? { ok: true, itemCount: result.estimate.itemCount, credits: result.estimate.credits } : { ok: false, message: result.message };
}

export async function startRun(input: unknown): Promise<{ ok: false; message: string }> {
  const ctx = await requireSessionContext();
  const started = await startExecution(ctx, input);
  if (!started.ok) return { ok: false, message: started.message };
  if (!started.isRepeat) {
    try {
      await dispatchExecution({ executionId: started.executionId, workspaceId: ctx.workspaceId });
    } catch (error) {
      await failExecution(started.executionId, "internal", `The run could not be queued: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // The balance in the header changed with the reservation.
  revalidatePath("/", "layout");
  redirect(`/executions/${started.executionId}`);
}
