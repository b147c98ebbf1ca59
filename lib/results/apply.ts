import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { platformConnections, recommendations, type Recommendation } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { addUsage, chargedMemberOf, utcDayOf } from "@/lib/credits/usage";
import type { ExecutionRow } from "@/lib/executions/queries";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { PlatformError, type ItemType } from "@/lib/platforms/adapter";
import { adapterFor } from "@/lib/platforms";
import { recommendationFilterSchema } from "./recommendation-filter";
import { loadForApply, matching } from "./recommendations";
import { recordAudit } from "@/lib/audit/record";

/**
 * Pushing recommendations to the store, and taking them back (F7).
 *
 * The store write comes first and is a compare-and-set (the adapter changes a field only
 * if it still holds the value the agent saw, and treats "already holds the new value" as
 * done; a title only if no other item of the store has it); the recommendation is then
 * marked applied by a conditional update. So a retried or doubled submit changes the store
 * once and records one apply, and a crash between the two steps leaves a pending
 * recommendation whose next apply completes it.
 */
const maxApplyAtOnce = 1000;

export const selectionSchema = z.union([
  z.object({ ids: z.array(z.uuid("Each recommendation must be given by its id.")).min(1, "Select at least one recommendation.").max(maxApplyAtOnce, `Apply at most ${maxApplyAtOnce.toLocaleString("en-US")} changes at a time.`) }),
  z.object({ allMatching: recommendationFilterSchema }),
]);
export type ApplySelection = z.infer<typeof selectionSchema>;

export type PlannedChange = Pick<Recommendation, "id" | "itemType" | "itemRef" | "itemLabel" | "field" | "beforeValue" | "priority" | "status"> & { value: string };
export type ChangeOutcome = { id: string; itemLabel: string; field: string; outcome: "applied" | "already_applied" | "failed" | "skipped"; reason?: string };

/** The value that applies: a person's edit when there is one, else the agent's proposal. */
function valueToApply(rec: Pick<Recommendation, "editedValue" | "afterValue">): string {
  return rec.editedValue ?? rec.afterValue;
}

const applicable: Recommendation["status"][] = ["pending", "approved", "failed", "reverted"];

async function resolveSelection(execution: ExecutionRow, raw: unknown): Promise<Outcome<{ rows: Recommendation[] }>> {
  const parsed = selectionSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const db = await getDb();
  const where = "ids" in parsed.data
    ? and(eq(recommendations.executionId, execution.id), inArray(recommendations.id, parsed.data.ids))
    : matching(execution.id, parsed.data.allMatching);
  const rows = await db.select().from(recommendations).where(where).limit(maxApplyAtOnce + 1);
  if (rows.length > maxApplyAtOnce) return failure("too_large", `That selection holds more than ${maxApplyAtOnce.toLocaleString("en-US")} changes; narrow the filter and apply in parts.`);
  if ("ids" in parsed.data && rows.length < new Set(parsed.data.ids).size) return failure("not_found", "Some selected recommendations are not part of this execution; reload the page.");
  return { ok: true, rows };
}

/** Exactly what applying the selection would change, without changing it. */
export async function previewApply(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<{ changes: PlannedChange[]; skipped: ChangeOutcome[] }>> {
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const selected = await resolveSelection(allowed.execution, raw);
  if (!selected.ok) return selected;
  const changes: PlannedChange[] = [];
  const skipped: ChangeOutcome[] = [];
  for (const rec of selected.rows) {
    if (applicable.includes(rec.status)) changes.push({ ...rec, value: valueToApply(rec) });
    else skipped.push({ id: rec.id, itemLabel: rec.itemLabel, field: rec.field, outcome: rec.status === "applied" ? "already_applied" : "skipped", reason: skipReason(rec.status) });
  }
  return { ok: true, changes, skipped };
}

const runDeletedReason = "Not attempted: the execution was deleted meanwhile.";

function skipReason(status: Recommendation["status"]): string {
  return status === "applied" ? "Already applied." : "Rejected; approve it first to apply it.";
}

/** Applies the selection to the store, item by item, and says what happened to each. */
export async function applyRecommendations(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<{ outcomes: ChangeOutcome[] }>> {
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const { execution } = allowed;
  const selected = await resolveSelection(execution, raw);
  if (!selected.ok) return selected;
  const adapter = await storeAdapter(execution);
  if (!adapter) return failure("conflict", "This execution's store connection was removed; its changes cannot be applied.");

  const db = await getDb();
  const outcomes: ChangeOutcome[] = [];
  const notAttempted = (after: Recommendation, reason: string) => {
    for (const rest of selected.rows.slice(selected.rows.indexOf(after) + 1)) outcomes.push({ id: rest.id, itemLabel: rest.itemLabel, field: rest.field, outcome: "skipped", reason });
  };
  for (const rec of selected.rows) {
    const base = { id: rec.id, itemLabel: rec.itemLabel, field: rec.field };
    // Read again just before the store is written: another apply may have done it meanwhile,
    // or the execution may have been deleted (its recommendations go with it).
    const [current] = await db.select({ status: recommendations.status }).from(recommendations).where(eq(recommendations.id, rec.id));
    if (!current) {
      outcomes.push({ ...base, outcome: "skipped", reason: runDeletedReason });
      notAttempted(rec, runDeletedReason);
      break;
    }
    if (!applicable.includes(current.status)) {
      outcomes.push({ ...base, outcome: current.status === "applied" ? "already_applied" : "skipped", reason: skipReason(current.status) });
      continue;
    }
    const value = valueToApply(rec);
    let result: { ok: true } | { ok: false; reason: string };
    try {
      result = await adapter.applyChange(rec.itemType as ItemType, rec.itemRef, rec.field, rec.beforeValue, value, { keepTitleDistinct: true });
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      // The platform itself refused: nothing after this can apply either.
      outcomes.push({ ...base, outcome: "failed", reason: error.message });
      notAttempted(rec, "Not attempted: the store stopped answering.");
      break;
    }
    const marked = await db.transaction(async (tx): Promise<"marked" | "done by another" | "run deleted"> => {
      const [row] = await tx
        .update(recommendations)
        .set(result.ok
          ? { status: "applied", appliedBy: ctx.userId, appliedAt: sql`now()`, applyError: null, revertedBy: null, revertedAt: null }
          : { status: "failed", applyError: result.reason })
        .where(and(eq(recommendations.id, rec.id), ne(recommendations.status, "applied")))
        .returning({ id: recommendations.id });
      const [stillThere] = row ? [row] : await tx.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.id, rec.id));
      // The store changed even when the execution was deleted between the read and now: that
      // change is recorded all the same, so every write to the store has its audit row.
      if ((row || !stillThere) && result.ok) {
        await addUsage(tx, { workspaceId: execution.workspaceId, agentId: execution.agentId, userId: chargedMemberOf(execution.id) }, { applied: 1 });
        await recordAudit(tx, ctx, { action: "recommendation.applied", target: rec.id, data: { executionId, item: rec.itemLabel, field: rec.field, before: rec.beforeValue, after: value, ...(stillThere ? {} : { executionDeleted: true }) } });
      }
      return row ? "marked" : stillThere ? "done by another" : "run deleted";
    });
    if (marked === "run deleted") {
      outcomes.push(result.ok ? { ...base, outcome: "applied", reason: "Applied to the store as the execution was being deleted." } : { ...base, outcome: "failed", reason: result.reason });
      notAttempted(rec, runDeletedReason);
      break;
    }
    if (!result.ok) outcomes.push({ ...base, outcome: marked === "marked" ? "failed" : "already_applied", reason: marked === "marked" ? result.reason : undefined });
    else outcomes.push({ ...base, outcome: marked === "marked" ? "applied" : "already_applied" });
  }
  return { ok: true, outcomes };
}

/**
 * Puts an applied change back to the value the agent saw. Refused, with the reason, when the
 * store value changed since it was applied: someone else's later edit is never overwritten.
 */
export async function revertRecommendation(ctx: Ctx, executionId: string, recommendationId: unknown): Promise<Outcome> {
  const id = z.uuid().safeParse(recommendationId);
  if (!id.success) return failure("invalid_input", "That is not a recommendation id.");
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const db = await getDb();
  const [rec] = await db.select().from(recommendations).where(and(eq(recommendations.id, id.data), eq(recommendations.executionId, executionId)));
  if (!rec) return failure("not_found", "Recommendation not found in this execution.");
  if (rec.status !== "applied") return failure("conflict", rec.status === "reverted" ? "This change was already reverted." : "Only an applied change can be reverted.");
  const adapter = await storeAdapter(allowed.execution);
  if (!adapter) return failure("conflict", "This execution's store connection was removed; the change cannot be reverted.");
  let result: { ok: true } | { ok: false; reason: string };
  try {
    result = await adapter.applyChange(rec.itemType as ItemType, rec.itemRef, rec.field, valueToApply(rec), rec.beforeValue ?? "");
  } catch (error) {
    if (error instanceof PlatformError) return failure("conflict", error.message);
    throw error;
  }
  if (!result.ok) {
    return failure("conflict", result.reason.startsWith("The store value changed")
      ? "The store value changed since this was applied, so reverting would overwrite someone's later edit. Check the item in the store."
      : result.reason);
  }
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(recommendations)
      .set({ status: "reverted", revertedBy: ctx.userId, revertedAt: sql`now()` })
      .where(and(eq(recommendations.id, rec.id), eq(recommendations.status, "applied")))
      .returning({ id: recommendations.id });
    if (row) {
      // The apply no longer counts, on the day it was counted.
      const execution = allowed.execution;
      const day = rec.appliedAt ? utcDayOf(rec.appliedAt) : undefined;
      await addUsage(tx, { workspaceId: execution.workspaceId, agentId: execution.agentId, userId: chargedMemberOf(execution.id), day }, { applied: -1 });
      await recordAudit(tx, ctx, { action: "recommendation.reverted", target: rec.id, data: { executionId, item: rec.itemLabel, field: rec.field, restored: rec.beforeValue } });
    }
  });
  return { ok: true };
}

export const revertSelectionSchema = z.object({
  ids: z.array(z.uuid("Each recommendation must be given by its id.")).min(1, "Select at least one applied change to revert.").max(maxApplyAtOnce, `Revert at most ${maxApplyAtOnce.toLocaleString("en-US")} changes at a time.`),
});

/** Reverts several applied changes one by one (the JSON API's revert), saying what happened to each. */
export async function revertRecommendations(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<{ outcomes: { id: string; outcome: "reverted" | "refused"; reason?: string }[] }>> {
  const parsed = revertSelectionSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const outcomes: { id: string; outcome: "reverted" | "refused"; reason?: string }[] = [];
  for (const id of new Set(parsed.data.ids)) {
    const reverted = await revertRecommendation(ctx, executionId, id);
    outcomes.push(reverted.ok ? { id, outcome: "reverted" } : { id, outcome: "refused", reason: reverted.message });
  }
  return { ok: true, outcomes };
}

async function storeAdapter(execution: Pick<ExecutionRow, "connectionId">) {
  if (!execution.connectionId) return null;
  const db = await getDb();
  const [connection] = await db.select().from(platformConnections).where(eq(platformConnections.id, execution.connectionId));
  return connection ? adapterFor(connection) : null;
}
