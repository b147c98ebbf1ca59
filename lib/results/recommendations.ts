import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recommendations, type Recommendation } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { mayApply } from "@/lib/executions/permissions";
import { getVisibleExecution, type ExecutionRow } from "@/lib/executions/queries";
import { describeInvalidInput } from "@/lib/http/failure-response";
import { failure, type Outcome } from "@/lib/outcome";
import { recommendationPageSize, type RecommendationFilter } from "./recommendation-filter";
import { recordAudit } from "@/lib/audit/record";

/**
 * An execution's recommendations as people review them: filtered by priority, status and
 * item text, sorted, a page at a time; approved or rejected one by one or in bulk.
 */
export type RecommendationPage = { rows: Recommendation[]; total: number; page: number; pageCount: number };

export function matching(executionId: string, filter: RecommendationFilter): SQL {
  const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return and(
    eq(recommendations.executionId, executionId),
    filter.priority.length ? inArray(recommendations.priority, filter.priority) : undefined,
    filter.status.length ? inArray(recommendations.status, filter.status) : undefined,
    filter.q ? or(ilike(recommendations.itemLabel, pattern), ilike(recommendations.field, pattern)) : undefined,
  )!;
}

const priorityRank = sql`case ${recommendations.priority} when 'high' then 0 when 'medium' then 1 else 2 end`;
const orderings = {
  priority: [asc(priorityRank), asc(recommendations.itemLabel), asc(recommendations.id)],
  item: [asc(recommendations.itemLabel), asc(priorityRank), asc(recommendations.id)],
  field: [asc(recommendations.field), asc(priorityRank), asc(recommendations.id)],
  status: [asc(recommendations.status), asc(priorityRank), asc(recommendations.id)],
};

/** One page (100 rows) of an execution's recommendations that match the filter. */
export async function listRecommendations(execution: Pick<ExecutionRow, "id">, filter: RecommendationFilter, page = 1): Promise<RecommendationPage> {
  const db = await getDb();
  const where = matching(execution.id, filter);
  const [{ total }] = (await db.select({ total: count() }).from(recommendations).where(where)) as [{ total: number }];
  const pageCount = Math.max(1, Math.ceil(total / recommendationPageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await db
    .select()
    .from(recommendations)
    .where(where)
    .orderBy(...orderings[filter.sort])
    .limit(recommendationPageSize)
    .offset((current - 1) * recommendationPageSize);
  return { rows, total, page: current, pageCount };
}

/** How many of an execution's recommendations are in each status, for the summary line. */
export async function countRecommendationsByStatus(executionId: string): Promise<Partial<Record<Recommendation["status"], number>>> {
  const db = await getDb();
  const rows = await db.select({ status: recommendations.status, n: count() }).from(recommendations).where(eq(recommendations.executionId, executionId)).groupBy(recommendations.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** A person's view of whether they may act on an execution's recommendations. */
export async function loadForApply(ctx: Ctx, executionId: string): Promise<Outcome<{ execution: ExecutionRow }>> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return failure("not_found", "Execution not found.");
  if (!(await mayApply(ctx, execution))) {
    return failure("forbidden", "You can view these recommendations but not act on them: ask the person who ran it, or an admin, for apply permission.");
  }
  return { ok: true, execution };
}

const decisionInput = z.object({
  ids: z.array(z.uuid("Each recommendation must be given by its id.")).min(1, "Select at least one recommendation.").max(1000, "Decide at most 1,000 recommendations at a time."),
  decision: z.enum(["approved", "rejected", "pending"], { error: "A decision is approved, rejected or pending." }),
});

/** Approves or rejects recommendations not yet applied; applied ones keep their state. */
export async function decideRecommendations(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<{ changed: number }>> {
  const parsed = decisionInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const { ids, decision } = parsed.data;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(recommendations)
      .set({ status: decision, decidedBy: ctx.userId, decidedAt: sql`now()` })
      .where(and(eq(recommendations.executionId, executionId), inArray(recommendations.id, ids), inArray(recommendations.status, ["pending", "approved", "rejected", "failed"])))
      .returning({ id: recommendations.id });
    if (changed.length) {
      await recordAudit(tx, ctx, { action: "recommendation.decided", target: executionId, data: { decision, count: changed.length } });
    }
    return { ok: true as const, changed: changed.length };
  });
}
