import { and, asc, count, inArray, not, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { recommendations } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import type { ExecutionRow } from "@/lib/executions/queries";
import { formatCount } from "@/lib/notifications/wording";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { decodePageToken, encodePageToken } from "@/lib/url-state/params";
import { applicable, applyOne, applyRecommendations, changedAfter, changedOutcome, outcomeBase, selectionSchema, storeAdapter, valueToApply, type ChangeOutcome, type PlannedChange } from "./apply";
import { describeRecommendationFilter, priorities, recommendationFilterSchema, type RecommendationFilter } from "./recommendation-filter";
import { beyond, cursorOf, loadForApply, matching } from "./recommendations";

/**
 * Applying every recommendation a filter matches, however many (an SEO audit of a large
 * catalogue proposes tens of thousands of titles), a part at a time so each request stays short.
 *
 * The preview counts the changes and notes the database's time; the plan (filter, that time,
 * the count confirmed, how many parts tried so far, the last recommendation reached) travels
 * in an opaque token that each part answers anew, so a loop resumes where the last part ended
 * and never meets a change twice. Only what was there to apply at the preview applies: a
 * recommendation decided, applied or reverted since is reported and left alone (so one approved
 * meanwhile is not added), and no more changes are tried than were confirmed.
 */
/** About 1-2 s of work on PostgreSQL (each change is a store write, a mark, its usage and its audit entry). */
export const applyPartSize = 250;
/** How many of the changes the preview lists; the rest are counted. */
const shownInPreview = 100;

const isoMicros = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const planSchema = z.object({
  v: z.literal(1),
  executionId: z.uuid(),
  filter: recommendationFilterSchema.pick({ priority: true, status: true, q: true }),
  // A date PostgreSQL would refuse (February 31st) is refused here, as bad input rather than a 500.
  asOf: z.string().regex(isoMicros).refine((at) => !Number.isNaN(Date.parse(at)) && new Date(at).toISOString().slice(0, 19) === at.slice(0, 19)),
  confirmed: z.number().int().min(0).max(100_000_000),
  tried: z.number().int().min(0).max(100_000_000),
  // The last recommendation reached: its priority (cast to the enum in SQL, so checked here), item and id.
  after: z.tuple([z.string().refine((p) => (priorities as readonly string[]).includes(p)), z.string().max(2000), z.uuid()]).nullable(),
});
type ApplyPlan = z.infer<typeof planSchema>;

const byFilterSchema = z.object({
  allMatching: recommendationFilterSchema,
  after: z.string("after is the `next` token of the previous part.").max(10_000, "That after token is not one this API gave; start again without after.").optional()
    .meta({ description: "The previous part's `next`; without it, the first part of a new plan counted now." }),
});
/** The apply body: some recommendations by id, or a part of every one a filter matches. */
export const applyInput = z.union([selectionSchema, byFilterSchema]);

export type ApplyAllPreview = {
  /** How many changes the plan applies: every match not applied and not rejected. */
  toApply: number;
  alreadyApplied: number;
  rejected: number;
  /** The first changes, in the order they apply. */
  first: PlannedChange[];
  /** The plan as the first part takes it (`after`). */
  start: string;
  /** The filter in words. */
  description: string;
};

export type ApplyPart = {
  /** This part's changes, each with what happened to it. */
  outcomes: ChangeOutcome[];
  /** The token for the next part; null when the plan is done or stopped. */
  next: string | null;
  /** Changes of the plan not yet tried. */
  remaining: number;
  /** Why the plan stopped early (the store stopped answering, the execution was deleted). */
  stopped?: string;
};

const inApplyOrder = [asc(recommendations.priority), asc(recommendations.itemLabel), asc(recommendations.id)];
const inPriorityOrder = (filter: ApplyPlan["filter"]): RecommendationFilter => ({ ...filter, sort: "priority" });

/** Counts, in one statement, what applying every match would do, at the moment it counts. */
async function countPlan(executionId: string, filter: ApplyPlan["filter"]) {
  const db = await getDb();
  const [counted] = await db
    .select({
      asOf: sql<string>`to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      toApply: sql<number>`(count(*) filter (where ${inArray(recommendations.status, applicable)}))::int`,
      alreadyApplied: sql<number>`(count(*) filter (where ${recommendations.status} = 'applied'))::int`,
      rejected: sql<number>`(count(*) filter (where ${recommendations.status} = 'rejected'))::int`,
    })
    .from(recommendations)
    .where(matching(executionId, inPriorityOrder(filter)));
  return counted!;
}

/** What applying every recommendation the filter matches would change: counted, with the first changes to show. */
export async function previewApplyAllMatching(ctx: Ctx, executionId: string, rawFilter: unknown): Promise<Outcome<{ preview: ApplyAllPreview }>> {
  const parsed = recommendationFilterSchema.safeParse(rawFilter);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const filter = { priority: parsed.data.priority, status: parsed.data.status, q: parsed.data.q };
  const { asOf, toApply, alreadyApplied, rejected } = await countPlan(executionId, filter);
  const db = await getDb();
  const first = await db.select().from(recommendations)
    .where(and(matching(executionId, inPriorityOrder(filter)), inArray(recommendations.status, applicable)))
    .orderBy(...inApplyOrder).limit(shownInPreview);
  const plan: ApplyPlan = { v: 1, executionId, filter, asOf, confirmed: toApply, tried: 0, after: null };
  return {
    ok: true,
    preview: {
      toApply, alreadyApplied, rejected, description: describeRecommendationFilter(filter), start: encodePlan(plan),
      first: first.map((rec) => ({ id: rec.id, itemType: rec.itemType, itemRef: rec.itemRef, itemLabel: rec.itemLabel, field: rec.field, beforeValue: rec.beforeValue, priority: rec.priority, status: rec.status, value: valueToApply(rec) })),
    },
  };
}

function encodePlan(plan: ApplyPlan): string {
  return encodePageToken(JSON.stringify(plan));
}

/** The plan in a token this API gave for `executionId`, for `filter` when one is given. */
function readPlan(token: string, executionId: string, filter: RecommendationFilter | null): Outcome<{ plan: ApplyPlan }> {
  let value: unknown = null;
  try {
    value = JSON.parse(decodePageToken(token) ?? "null");
  } catch {
    // Not JSON: refused below like any other token this API did not give.
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return failure("invalid_input", "That after token is not one this API gave, or it was cut short; start again without after (changes already applied stay applied).");
  const plan = parsed.data;
  if (plan.executionId !== executionId) return failure("invalid_input", "That after token belongs to another execution; start again without after.");
  if (!filter) return { ok: true, plan };
  const isSameFilter = JSON.stringify([plan.filter.priority, plan.filter.status, plan.filter.q]) === JSON.stringify([filter.priority, filter.status, filter.q]);
  if (!isSameFilter) {
    return failure("invalid_input", `That after token was given for other filters (${describeRecommendationFilter(plan.filter)}), not ${describeRecommendationFilter(filter)}: send the filters it was given for, or start again without after.`);
  }
  return { ok: true, plan };
}

/**
 * Applies the next part of a plan: at most `applyPartSize` changes, in priority, item and id
 * order, each with the same compare-and-set, mark, usage and audit entry as an apply by id.
 * A change that fails is marked failed and passed (the next part starts after it). Without
 * `after`, the plan is counted now, as a preview would.
 */
export async function applyPart(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<ApplyPart>> {
  const parsed = byFilterSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const { execution } = allowed;
  const { allMatching, after: token } = parsed.data;
  let plan: ApplyPlan;
  if (token === undefined) {
    plan = await planCountedNow(executionId, allMatching);
  } else {
    const read = readPlan(token, executionId, allMatching);
    if (!read.ok) return read;
    plan = read.plan;
  }
  return applyPlanPart(ctx, execution, plan);
}

/** A plan of every match of the filter, counted now: only what is there to apply at this moment is in it. */
async function planCountedNow(executionId: string, filter: RecommendationFilter): Promise<ApplyPlan> {
  const counted = { priority: filter.priority, status: filter.status, q: filter.q };
  const { asOf, toApply } = await countPlan(executionId, counted);
  return { v: 1, executionId, filter: counted, asOf, confirmed: toApply, tried: 0, after: null };
}

/**
 * Plans applying every match of the filter now, as a preview would, without listing its first
 * changes: the API's start of a background job (lib/results/apply-job.ts), which confirms
 * the plan in the same call. The caller has checked that the person may apply on this run.
 */
export async function planApplyAllMatching(executionId: string, filter: RecommendationFilter): Promise<{ start: string; confirmed: number; filter: ApplyPlan["filter"] }> {
  const plan = await planCountedNow(executionId, filter);
  return { start: encodePlan(plan), confirmed: plan.confirmed, filter: plan.filter };
}

/** What a preview's plan confirms: how many changes, of which filter (a background job's record of it). */
export function confirmedPlan(token: string, executionId: string): Outcome<{ confirmed: number; filter: ApplyPlan["filter"] }> {
  const read = readPlan(token, executionId, null);
  return read.ok ? { ok: true, confirmed: read.plan.confirmed, filter: read.plan.filter } : read;
}

/**
 * Applies the next part of the plan in `token` as `ctx` (a background apply job's step, which
 * keeps the token it was confirmed with): refused, changing nothing, when the token is not a
 * plan of this execution or the person may no longer apply its changes.
 */
export async function applyPlannedPart(ctx: Ctx, executionId: string, token: string, jobId: string): Promise<Outcome<ApplyPart>> {
  const read = readPlan(token, executionId, null);
  if (!read.ok) return read;
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  return applyPlanPart(ctx, allowed.execution, read.plan, jobId);
}

/** The next part of `plan`; each change a background job applies names the job in its audit entry (lib/results/apply-job.ts counts them). */
async function applyPlanPart(ctx: Ctx, execution: ExecutionRow, plan: ApplyPlan, jobId?: string): Promise<Outcome<ApplyPart>> {
  const executionId = execution.id;
  const adapter = await storeAdapter(execution);
  if (!adapter) return failure("conflict", "This execution's store connection was removed; its changes cannot be applied.");

  const filter = inPriorityOrder(plan.filter);
  const db = await getDb();
  const isChanged = changedAfter(plan.asOf);
  const part = plan.tried >= plan.confirmed ? [] : await db
    .select({ rec: recommendations, isChanged })
    .from(recommendations)
    // Those left to apply, and those changed since the preview that the part reports.
    .where(and(matching(executionId, filter), plan.after ? beyond(filter, plan.after, true) : undefined, sql`(${inArray(recommendations.status, applicable)} or ${isChanged})`))
    .orderBy(...inApplyOrder)
    .limit(applyPartSize);

  const outcomes: ChangeOutcome[] = [];
  let { tried, after } = plan;
  let stopped: string | undefined;
  for (const { rec, isChanged: wasChanged } of part) {
    if (tried >= plan.confirmed) break;
    const reached = after;
    after = cursorOf(filter, rec);
    if (wasChanged) {
      outcomes.push({ ...outcomeBase(rec), ...changedOutcome(rec.status) });
      continue;
    }
    const step = await applyOne(ctx, execution, adapter, rec, plan.asOf, jobId);
    outcomes.push(step.outcome);
    if (!step.isChangedSince) tried += 1;
    if (step.stop === "run_deleted") return { ok: true, outcomes, next: null, remaining: 0, stopped: "The run was deleted meanwhile; nothing after this was attempted." };
    if (step.stop === "store") {
      // The store refused the call, not the change: it counts among those left.
      [stopped, after, tried] = [step.outcome.reason, reached, tried - 1];
      break;
    }
  }

  const [left] = tried >= plan.confirmed ? [{ n: 0 }] : await db
    .select({ n: count() })
    .from(recommendations)
    .where(and(matching(executionId, filter), after ? beyond(filter, after, true) : undefined, inArray(recommendations.status, applicable), not(isChanged)));
  const remaining = Math.min(plan.confirmed - tried, left?.n ?? 0);
  if (stopped) {
    // A lost or limited store fails every change after this one: the plan ends, and applying
    // the same filter again later takes up what is left (what applied no longer matches as applicable).
    return { ok: true, outcomes, next: null, remaining, stopped: `${stopped} ${formatCount(remaining, "change")} not attempted: apply again later; what was applied stays applied, and nothing applies twice.` };
  }
  return { ok: true, outcomes, next: remaining > 0 ? encodePlan({ ...plan, tried, after }) : null, remaining };
}

/** The apply route's one call: some recommendations by id, answered whole, or the next part of every match of a filter. */
export async function applyChanges(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<ApplyPart>> {
  if (typeof raw === "object" && raw !== null && "allMatching" in raw) return applyPart(ctx, executionId, raw);
  const applied = await applyRecommendations(ctx, executionId, raw);
  return applied.ok ? { ok: true, outcomes: applied.outcomes, next: null, remaining: 0 } : applied;
}
