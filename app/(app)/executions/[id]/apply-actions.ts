"use server";

import { action } from "@/lib/http/action";
import { applyRecommendations, previewApply, revertRecommendation, type ApplySelection } from "@/lib/results/apply";
import { applyPart, previewApplyAllMatching } from "@/lib/results/apply-in-parts";
import type { RecommendationFilter } from "@/lib/results/recommendation-filter";
import { decideRecommendations, planDecideAllMatching } from "@/lib/results/recommendations";

export const previewApplyAction = action({
  access: "member",
  run: (ctx, executionId: string, selection: ApplySelection) => previewApply(ctx, executionId, selection),
});

export const applyAction = action({
  access: "member",
  run: (ctx, executionId: string, selection: ApplySelection) => applyRecommendations(ctx, executionId, selection),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`],
});

/** Counts what applying every recommendation the filter matches would change, with the first changes to show. */
export const previewApplyAllMatchingAction = action({
  access: "member",
  run: (ctx, executionId: string, filter: RecommendationFilter) => previewApplyAllMatching(ctx, executionId, filter),
});

/** The next part of applying every match of the filter as previewed (`after`, the preview's or the last part's token). */
export const applyPartAction = action({
  access: "member",
  run: (ctx, executionId: string, filter: RecommendationFilter, after: string) => applyPart(ctx, executionId, { allMatching: filter, after }),
  // The page is refreshed once, after the last part, not under the person's feet at each.
  revalidate: (result, [executionId]) => (result.next ? [] : [`/executions/${executionId}`]),
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

/** Counts what approving or rejecting every recommendation the filter matches would change, for the confirm. */
export const planDecideAllMatchingAction = action({
  access: "member",
  run: (ctx, executionId: string, filter: RecommendationFilter) => planDecideAllMatching(ctx, executionId, filter),
});

/** Decides every recommendation the filter matches, if that still changes the number the person confirmed. */
export const decideAllMatchingAction = action({
  access: "member",
  run: (ctx, executionId: string, filter: RecommendationFilter, expectedCount: number, decision: "approved" | "rejected") =>
    decideRecommendations(ctx, executionId, { allMatching: filter, expectedCount, decision }),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`],
});
