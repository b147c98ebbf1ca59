"use server";

import { startApplyAndDispatch } from "@/inngest/start-bulk";
import { action } from "@/lib/http/action";
import { applyRecommendations, previewApply, revertRecommendation, type ApplySelection } from "@/lib/results/apply";
import { previewApplyAllMatching } from "@/lib/results/apply-in-parts";
import { getApplyJob, stopApplyJob } from "@/lib/results/apply-job";
import { failure } from "@/lib/outcome";
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

/** Starts applying a previewed plan (`start`, the preview's token) in the background. */
export const startApplyJobAction = action({
  access: "member",
  run: (ctx, executionId: string, start: string) => startApplyAndDispatch(ctx, executionId, { start }),
});

/** How far an apply the person started has got (the page is refreshed by the caller once it ends, not at each part). */
export const applyJobProgressAction = action({
  access: "member",
  run: async (ctx, jobId: string) => {
    const job = await getApplyJob(ctx, jobId);
    return job ? { ok: true as const, job } : failure("not_found", "That apply is not yours or does not exist.");
  },
});

/** Asks an apply the person started to stop after the part under way. */
export const stopApplyJobAction = action({
  access: "member",
  run: (ctx, jobId: string) => stopApplyJob(ctx, jobId),
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
