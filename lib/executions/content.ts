import type { Ctx } from "@/lib/auth/context";
import { getExecutionResults, type ResultBlock } from "@/lib/results/queries";
import { parseRecommendationParams, type RecommendationFilter } from "@/lib/results/recommendation-filter";
import { listRecommendations, type RecommendationPage } from "@/lib/results/recommendations";
import { loadProcessingLog, type ProcessingLogView } from "./log";
import type { PageParams } from "./log-request";
import type { ExecutionRow } from "./queries";

export type ExecutionContent = {
  blocks: ResultBlock[];
  recommendations: { page: RecommendationPage; filter: RecommendationFilter; problem: string | null };
  log: ProcessingLogView;
};

/**
 * What the detail page and a share link both show of an execution the person may see: its
 * result blocks, the page of recommendations and of the processing log its query string asks for.
 */
export async function loadExecutionContent(ctx: Ctx, execution: ExecutionRow, query: PageParams): Promise<ExecutionContent> {
  const { filter, page, problem } = parseRecommendationParams(query);
  const [blocks, log, recommendationPage] = await Promise.all([
    getExecutionResults(ctx, execution.id),
    loadProcessingLog(ctx, execution.id, query),
    listRecommendations(execution, filter, page),
  ]);
  return { blocks: blocks ?? [], log, recommendations: { page: recommendationPage, filter, problem } };
}
