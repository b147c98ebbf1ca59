import { count, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { recommendations } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { getExecutionResults, type ResultBlock } from "@/lib/results/queries";
import { parseRecommendationParams, type RecommendationFilter } from "@/lib/results/recommendation-filter";
import { listRecommendations, recommendationView, type RecommendationViewPage } from "@/lib/results/recommendations";
import { queryValue, searchParamsOf, type QueryParams } from "@/lib/url-state/params";
import { loadProcessingLog, type ProcessingLogView } from "./log";
import type { ExecutionRow } from "./queries";

/** The sections of a run's page, each its own tab with its place in the URL (`tab=`). */
const executionTabs = ["overview", "results", "recommendations", "log", "downloads"] as const;
export type ExecutionTab = (typeof executionTabs)[number];

const recommendationParams = ["rp", "rs", "rq", "rsort", "rafter", "rbefore"];
const logParams = ["logAfter", "logBefore", "logLevel", "issues", "issuesAfter"];

/**
 * The tab a URL asks for: `tab=` when it names one, else the tab whose own parameters it
 * carries (an older link to the log or a filtered list still opens there), else Overview.
 */
function tabOf(query: QueryParams): ExecutionTab {
  const named = queryValue(query, "tab");
  if ((executionTabs as readonly string[]).includes(named ?? "")) return named as ExecutionTab;
  const given = searchParamsOf(query);
  if (recommendationParams.some((key) => given.has(key))) return "recommendations";
  if (logParams.some((key) => given.has(key))) return "log";
  return "overview";
}

export type ExecutionContent = {
  tab: ExecutionTab;
  recommendationCount: number;
  blocks: ResultBlock[] | null;
  recommendations: { page: RecommendationViewPage; filter: RecommendationFilter; problem: string | null } | null;
  log: ProcessingLogView | null;
};

/**
 * What the detail page and a share link both show of an execution the person may see: only
 * the open tab's content — its result blocks, its page of recommendations or its page of the
 * processing log — so a large run's page stays small; and how many recommendations it has.
 */
export async function loadExecutionContent(ctx: Ctx, execution: ExecutionRow, query: QueryParams): Promise<ExecutionContent> {
  const tab = tabOf(query);
  const db = await getDb();
  const [blocks, log, recommendationPage, [counted]] = await Promise.all([
    tab === "results" ? getExecutionResults(ctx, execution.id) : null,
    tab === "log" ? loadProcessingLog(ctx, execution.id, query) : null,
    tab === "recommendations" ? loadRecommendations(execution, query) : null,
    db.select({ n: count() }).from(recommendations).where(eq(recommendations.executionId, execution.id)),
  ]);
  return { tab, blocks: tab === "results" ? blocks ?? [] : null, log, recommendations: recommendationPage, recommendationCount: counted?.n ?? 0 };
}

async function loadRecommendations(execution: ExecutionRow, query: QueryParams) {
  const { filter, position, problem } = parseRecommendationParams(query);
  const page = await listRecommendations(execution, filter, position);
  return { page: { ...page, rows: page.rows.map(recommendationView) }, filter, problem };
}
