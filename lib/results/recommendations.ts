import { and, asc, count, desc, eq, ilike, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recommendations, type Recommendation } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { mayApply } from "@/lib/executions/permissions";
import { getVisibleExecution, type ExecutionRow } from "@/lib/executions/queries";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { decidableStatuses, describeRecommendationFilter, recommendationFilterSchema, recommendationPageSize, type RecommendationCursor, type RecommendationFilter, type RecommendationPosition } from "./recommendation-filter";
import { recordAudit } from "@/lib/audit/record";
import { formatCount } from "@/lib/notifications/wording";

/**
 * An execution's recommendations as people review them: filtered by priority, status and
 * item text, sorted, a page at a time by keyset (no OFFSET: the last page costs what the
 * first does); approved or rejected one by one, in bulk by id, or every one a filter matches.
 */
/**
 * What the pages' list shows of a recommendation, and all the browser is sent (the page's data
 * is readable by anyone holding a link): no workspace or people's ids.
 */
export type RecommendationView = Pick<Recommendation, "id" | "itemType" | "itemRef" | "itemLabel" | "field" | "beforeValue" | "afterValue" | "editedValue" | "priority" | "rationale" | "status" | "applyError">;
export type RecommendationViewPage = Omit<RecommendationPage, "rows"> & { rows: RecommendationView[] };

export function recommendationView(rec: Recommendation): RecommendationView {
  const { id, itemType, itemRef, itemLabel, field, beforeValue, afterValue, editedValue, priority, rationale, status, applyError } = rec;
  return { id, itemType, itemRef, itemLabel, field, beforeValue, afterValue, editedValue, priority, rationale, status, applyError };
}

export type RecommendationPage = {
  rows: Recommendation[];
  total: number;
  /** How many matching rows come before this page's first one. */
  offset: number;
  next: RecommendationCursor | null;
  prev: RecommendationCursor | null;
};

export function matching(executionId: string, filter: RecommendationFilter): SQL {
  const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return and(
    eq(recommendations.executionId, executionId),
    filter.priority.length ? inArray(recommendations.priority, filter.priority) : undefined,
    filter.status.length ? inArray(recommendations.status, filter.status) : undefined,
    filter.q ? or(ilike(recommendations.itemLabel, pattern), ilike(recommendations.field, pattern)) : undefined,
  )!;
}

// Each sort's two keys (then the id); the priority and status enums sort in their declared
// order: high, medium, low; pending … reverted. A cursor's text is cast back to the key's type.
type SortKey = readonly [column: PgColumn, type: string, of: (row: Recommendation) => string];
const priorityKey: SortKey = [recommendations.priority, "priority", (r) => r.priority];
const sortKeys: Record<RecommendationFilter["sort"], readonly [SortKey, SortKey]> = {
  priority: [priorityKey, [recommendations.itemLabel, "text", (r) => r.itemLabel]],
  item: [[recommendations.itemLabel, "text", (r) => r.itemLabel], priorityKey],
  field: [[recommendations.field, "text", (r) => r.field], priorityKey],
  status: [[recommendations.status, "recommendation_status", (r) => r.status], priorityKey],
};

function keysOf(filter: RecommendationFilter) {
  return sortKeys[filter.sort];
}

export function cursorOf(filter: RecommendationFilter, row: Recommendation): RecommendationCursor {
  const [[, , first], [, , second]] = keysOf(filter);
  return [first(row), second(row), row.id];
}

export function beyond(filter: RecommendationFilter, cursor: RecommendationCursor, isForward: boolean): SQL {
  const [[first, firstType], [second, secondType]] = keysOf(filter);
  const key = sql`(${first}, ${second}, ${recommendations.id})`;
  const at = sql`(${cursor[0]}::${sql.raw(firstType)}, ${cursor[1]}::${sql.raw(secondType)}, ${cursor[2]}::uuid)`;
  return isForward ? sql`${key} > ${at}` : sql`${key} < ${at}`;
}

/** One page (50 rows) of an execution's recommendations that match the filter, after or before a cursor. */
export async function listRecommendations(execution: Pick<ExecutionRow, "id">, filter: RecommendationFilter, position: RecommendationPosition = { after: null, before: null }): Promise<RecommendationPage> {
  const db = await getDb();
  const where = matching(execution.id, filter);
  const [[first], [second]] = keysOf(filter);
  const isBackward = position.before !== null;
  const cursor = position.before ?? position.after;
  const order = isBackward ? [desc(first), desc(second), desc(recommendations.id)] : [asc(first), asc(second), asc(recommendations.id)];
  const [fetched, counted] = await Promise.all([
    db.select().from(recommendations).where(and(where, cursor ? beyond(filter, cursor, !isBackward) : undefined)).orderBy(...order).limit(recommendationPageSize + 1),
    db.select({ total: count() }).from(recommendations).where(where),
  ]);
  const total = counted[0]?.total ?? 0;
  const hasMore = fetched.length > recommendationPageSize;
  const rows = fetched.slice(0, recommendationPageSize);
  if (isBackward) rows.reverse();
  if (isBackward && !hasMore) return listRecommendations(execution, filter);
  const before = rows.length
    ? ((await db.select({ n: count() }).from(recommendations).where(and(where, beyond(filter, cursorOf(filter, rows[0]!), false))))[0]?.n ?? 0)
    : 0;
  const lastOf = rows.at(-1);
  return {
    rows,
    total,
    offset: before,
    next: lastOf && (isBackward || hasMore) ? cursorOf(filter, lastOf) : null,
    prev: rows.length && before > 0 ? cursorOf(filter, rows[0]!) : null,
  };
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

const decisionSchema = z.enum(["approved", "rejected", "pending"], { error: "A decision is approved, rejected or pending." });
const decisionByIds = z.object({
  ids: z.array(z.uuid("Each recommendation must be given by its id.")).min(1, "Select at least one recommendation.").max(1000, "Decide at most 1,000 recommendations at a time."),
  decision: decisionSchema,
});
/**
 * Every recommendation the filter matches, with the number of them that change as the person
 * confirmed it (`planDecideAllMatching` counted it for them): a different number now changes nothing.
 */
const decisionByFilter = z.object({
  allMatching: recommendationFilterSchema,
  expectedCount: z.number({ error: "Confirm how many recommendations will change, as expectedCount." }).int("expectedCount is a whole number.").min(0, "expectedCount cannot be negative."),
  decision: decisionSchema,
});
/** The decide route's body: some recommendations by id, or every one a filter matches. */
export const decisionInput = z.union([decisionByIds, decisionByFilter]);

const decisionVerbs = { approved: "approve", rejected: "reject", pending: "set back to pending" } as const;

/**
 * The recommendations a decision changes: not applied or reverted, and not already in the state
 * decided (approving an approved one keeps who approved it and when, and writes no audit entry).
 */
function changedBy(decision: z.infer<typeof decisionSchema>) {
  return and(inArray(recommendations.status, [...decidableStatuses]), ne(recommendations.status, decision));
}

/** Approves or rejects recommendations not yet applied; applied ones, and ones already so decided, keep their state. */
export async function decideRecommendations(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<{ changed: number }>> {
  // Each shape is parsed on its own, so a mistake gets its own sentence rather than the union's "Invalid input".
  const isByFilter = typeof raw === "object" && raw !== null && "allMatching" in raw;
  const parsed = (isByFilter ? decisionByFilter : decisionByIds).safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  if ("allMatching" in parsed.data) return decideAllMatching(ctx, executionId, parsed.data);
  const { ids, decision } = parsed.data;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(recommendations)
      .set({ status: decision, decidedBy: ctx.userId, decidedAt: sql`now()` })
      .where(and(eq(recommendations.executionId, executionId), inArray(recommendations.id, ids), changedBy(decision)))
      .returning({ id: recommendations.id });
    if (changed.length) {
      await recordAudit(tx, ctx, { action: "recommendation.decided", target: executionId, data: { decision, count: changed.length } });
    }
    return { ok: true as const, changed: changed.length };
  });
}

export type DecisionPlan = {
  /** Every recommendation the filter matches. */
  matching: number;
  /** Those not applied or reverted (pending, approved, rejected, failed): the rest no decision changes. */
  decidable: number;
  /** Those approving changes: decidable and not approved already. */
  toApprove: number;
  /** Those rejecting changes: decidable and not rejected already. */
  toReject: number;
  /** The filter in words. */
  description: string;
};

/** What approving or rejecting every recommendation the filter matches would change, counted now for each. */
export async function planDecideAllMatching(ctx: Ctx, executionId: string, rawFilter: unknown): Promise<Outcome<{ plan: DecisionPlan }>> {
  const parsed = recommendationFilterSchema.safeParse(rawFilter);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const db = await getDb();
  const [counted] = await db
    .select({
      matching: sql<number>`count(*)::int`,
      decidable: sql<number>`(count(*) filter (where ${inArray(recommendations.status, [...decidableStatuses])}))::int`,
      toApprove: sql<number>`(count(*) filter (where ${changedBy("approved")}))::int`,
      toReject: sql<number>`(count(*) filter (where ${changedBy("rejected")}))::int`,
    })
    .from(recommendations)
    .where(matching(executionId, parsed.data));
  const { matching: matched, decidable, toApprove, toReject } = counted!;
  return { ok: true, plan: { matching: matched, decidable, toApprove, toReject, description: describeRecommendationFilter(parsed.data) } };
}

/** Thrown inside the transaction to roll it back: the filter no longer changes the number confirmed. */
class CountChanged extends Error {
  constructor(readonly now: number) {
    super("The matching recommendations changed since they were counted.");
  }
}

/**
 * One UPDATE over every matching recommendation the decision changes (so the same request sent
 * again finds none left to change, and is refused like any stale count). The statement counts what it
 * changed and the transaction is rolled back when that is not the number the person confirmed:
 * counting in the UPDATE itself leaves no moment in which someone else's change could slip
 * between the count and the write. A plain count first refuses the usual stale confirm without
 * writing (at 100,000 rows the UPDATE takes seconds, the count tens of milliseconds).
 */
async function decideAllMatching(ctx: Ctx, executionId: string, input: z.infer<typeof decisionByFilter>): Promise<Outcome<{ changed: number }>> {
  const { allMatching, expectedCount, decision } = input;
  const db = await getDb();
  const description = describeRecommendationFilter(allMatching);
  try {
    return await db.transaction(async (tx) => {
      const toChange = and(matching(executionId, allMatching), changedBy(decision));
      const [counted] = await tx.select({ n: count() }).from(recommendations).where(toChange);
      if ((counted?.n ?? 0) !== expectedCount) throw new CountChanged(counted?.n ?? 0);
      const update = tx
        .update(recommendations)
        .set({ status: decision, decidedBy: ctx.userId, decidedAt: sql`now()` })
        .where(toChange)
        .returning({ id: recommendations.id });
      const changedRows = tx.$with("changed").as(update);
      const [written] = await tx.with(changedRows).select({ changed: sql<number>`count(*)::int` }).from(changedRows);
      const changed = written?.changed ?? 0;
      if (changed !== expectedCount) throw new CountChanged(changed);
      if (changed) {
        await recordAudit(tx, ctx, { action: "recommendation.decided", target: executionId, data: { decision, count: changed, filter: description } });
      }
      return { ok: true as const, changed };
    });
  } catch (error) {
    if (!(error instanceof CountChanged)) throw error;
    return failure("conflict", `These filters now match ${formatCount(error.now, "recommendation")} to ${decisionVerbs[decision]}, not ${expectedCount.toLocaleString("en-US")}. Nothing was changed; check the list and try again.`);
  }
}
