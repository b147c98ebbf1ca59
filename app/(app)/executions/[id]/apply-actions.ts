"use server";

import { action } from "@/lib/http/action";
import { applyRecommendations, previewApply, revertRecommendation, type ApplySelection } from "@/lib/results/apply";
import { decideRecommendations } from "@/lib/results/recommendations";

export const previewApplyAction = action({
  access: "member",
  run: (ctx, executionId: string, selection: ApplySelection) => previewApply(ctx, executionId, selection),
});

export const applyAction = action({
  access: "member",
  run: (ctx, executionId: string, selection: ApplySelection) => applyRecommendations(ctx, executionId, selection),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`],
});

export const revertAction = action({
  access: "member",
  run: (ctx, executionId: string, recommendationId: string) => revertRecommendation(ctx, executionId, recommendationId),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`],
});

export const decideAction = action({
  access: "member",
  run: (ctx, executionId: string, ids: string[], decision: "approved" | "rejected" | "pending") => decideRecommendations(ctx, executionId, { ids, decision }),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`],
});
