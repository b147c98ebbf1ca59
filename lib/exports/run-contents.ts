import { and, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { actionItems, executionItems, executionResults, executions, recommendations } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import type { RunContents } from "./formats";

/**
 * What a run holds to download, as columns of a select over `executions`: by its rows rather
 * than its status (a failed run has no result blocks but may have items, or recommendations from
 * the batches it finished; a run stopped at once has only its settings and log). Four index
 * probes per run. Read them back with `readRunContents`.
 */
export const runContentsColumns = {
  // Null without result blocks, else whether one holds scores. One probe of the run's blocks
  // (a handful): as an EXISTS on kind, the planner would rather hash every scores block there is.
  resultsWithScores: sql<boolean | null>`(select bool_or(r.kind = 'scores') from ${executionResults} r where r.execution_id = ${executions}.id)`,
  hasRecommendations: sql<boolean>`exists (select 1 from ${recommendations} r where r.execution_id = ${executions}.id)`,
  hasActionItems: sql<boolean>`exists (select 1 from ${actionItems} a where a.execution_id = ${executions}.id)`,
  hasItems: sql<boolean>`exists (select 1 from ${executionItems} i where i.execution_id = ${executions}.id)`,
} satisfies Record<string, SQL>;

export function readRunContents({ resultsWithScores, ...contents }: { resultsWithScores: boolean | null; hasRecommendations: boolean; hasActionItems: boolean; hasItems: boolean }): RunContents {
  return { hasResults: resultsWithScores !== null, hasScores: resultsWithScores === true, ...contents };
}

/** One run's contents (its page's Download menu), or null for a run not in the caller's workspace. */
export async function getRunContents(ctx: Ctx, executionId: string): Promise<RunContents | null> {
  const db = await getDb();
  const [row] = await db
    .select(runContentsColumns)
    .from(executions)
    .where(and(eq(executions.workspaceId, ctx.workspaceId), eq(executions.id, executionId)));
  return row ? readRunContents(row) : null;
}
