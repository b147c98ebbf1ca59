"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { answerOf as answer, type Answer } from "@/lib/outcome";
import { applyRecommendations, previewApply, revertRecommendation, type ApplySelection, type ChangeOutcome, type PlannedChange } from "@/lib/results/apply";
import { decideRecommendations } from "@/lib/results/recommendations";

export async function previewApplyAction(executionId: string, selection: ApplySelection): Promise<Answer<{ changes: PlannedChange[]; skipped: ChangeOutcome[] }>> {
  const ctx = await requireSessionContext();
  return answer(await previewApply(ctx, executionId, selection));
}

export async function applyAction(executionId: string, selection: ApplySelection): Promise<Answer<{ outcomes: ChangeOutcome[] }>> {
  const ctx = await requireSessionContext();
  const result = await applyRecommendations(ctx, executionId, selection);
  revalidatePath(`/executions/${executionId}`);
  return answer(result);
}

export async function revertAction(executionId: string, recommendationId: string): Promise<Answer> {
  const ctx = await requireSessionContext();
  const result = await revertRecommendation(ctx, executionId, recommendationId);
  revalidatePath(`/executions/${executionId}`);
  return answer(result);
}

export async function decideAction(executionId: string, ids: string[], decision: "approved" | "rejected" | "pending"): Promise<Answer<{ changed: number }>> {
  const ctx = await requireSessionContext();
  const result = await decideRecommendations(ctx, executionId, { ids, decision });
  revalidatePath(`/executions/${executionId}`);
  return answer(result);
}
