import { and, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { platformConnections, recommendations, type Recommendation } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { addUsage, chargedMemberOf, utcDayOf } from "@/lib/credits/usage";
import type { ExecutionRow } from "@/lib/executions/queries";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { PlatformError, type ItemType, type PlatformAdapter } from "@/lib/platforms/adapter";
import { adapterFor } from "@/lib/platforms";
import { loadForApply } from "./recommendations";
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

/** Some recommendations by id, at most 1,000: every one a filter matches applies in parts (./apply-in-parts.ts). */
export const selectionSchema = z.object({
  ids: z.array(z.uuid("Each recommendation must be given by its id.")).min(1, "Select at least one recommendation.").max(maxApplyAtOnce, `Apply at most ${maxApplyAtOnce.toLocaleString("en-US")} changes at a time.`),
});
export type ApplySelection = z.infer<typeof selectionSchema>;

export type PlannedChange = Pick<Recommendation, "id" | "itemType" | "itemRef" | "itemLabel" | "field" | "beforeValue" | "priority" | "status"> & { value: string };
export type ChangeOutcome = { id: string; itemLabel: string; field: string; outcome: "applied" | "already_applied" | "failed" | "skipped"; reason?: string };

/** The value that applies: a person's edit when there is one, else the agent's proposal. */
export function valueToApply(rec: Pick<Recommendation, "editedValue" | "afterValue">): string {
  return rec.editedValue ?? rec.afterValue;
}

export const applicable: Recommendation["status"][] = ["pending", "approved", "failed", "reverted"];

async function resolveSelection(execution: ExecutionRow, raw: unknown): Promise<Outcome<{ rows: Recommendation[] }>> {
  const parsed = selectionSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const db = await getDb();
  const rows = await db.select().from(recommendations).where(and(eq(recommendations.executionId, execution.id), inArray(recommendations.id, parsed.data.ids)));
  if (rows.length < new Set(parsed.data.ids).size) return failure("not_found", "Some selected recommendations are not part of this execution; reload the page.");
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
    else skipped.push({ ...outcomeBase(rec), outcome: rec.status === "applied" ? "already_applied" : "skipped", reason: skipReason(rec.status) });
  }
  return { ok: true, changes, skipped };
}

const runDeletedReason = "Not attempted: the execution was deleted meanwhile.";

function skipReason(status: Recommendation["status"]): string {
  return status === "applied" ? "Already applied." : "Rejected; approve it first to apply it.";
}

export function outcomeBase(rec: Pick<Recommendation, "id" | "itemLabel" | "field">): Pick<ChangeOutcome, "id" | "itemLabel" | "field"> {
  return { id: rec.id, itemLabel: rec.itemLabel, field: rec.field };
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

  const outcomes: ChangeOutcome[] = [];
  for (const [index, rec] of selected.rows.entries()) {
    const step = await applyOne(ctx, execution, adapter, rec);
    outcomes.push(step.outcome);
    if (step.stop) {
      const reason = step.stop === "run_deleted" ? runDeletedReason : "Not attempted: the store stopped answering.";
      for (const rest of selected.rows.slice(index + 1)) outcomes.push({ ...outcomeBase(rest), outcome: "skipped", reason });
      break;
    }
  }
  return { ok: true, outcomes };
}

export type ApplyStep = {
  outcome: ChangeOutcome;
  /** Why nothing after this one can apply: the store refused the call, or the execution is gone. */
  stop: "store" | "run_deleted" | null;
  /** Changed by someone after `changedSince` (decided, applied or reverted): left as it is, not attempted. */
  isChangedSince: boolean;
};

/**
 * Applies one recommendation: the store's compare-and-set, then the conditional mark, its usage
 * and its audit entry. With `changedSince` (a preview's time), a recommendation decided,
 * applied or reverted after it is left alone and said so: the person confirmed it as it was.
 */
export async function applyOne(ctx: Ctx, execution: ExecutionRow, adapter: PlatformAdapter, rec: Recommendation, changedSince?: string, jobId?: string): Promise<ApplyStep> {
  const db = await getDb();
  const base = outcomeBase(rec);
  const step = (outcome: Omit<ChangeOutcome, keyof typeof base>, stop: ApplyStep["stop"] = null): ApplyStep => ({ outcome: { ...base, ...outcome }, stop, isChangedSince: false });
  // Read again just before the store is written: another apply may have done it meanwhile,
  // or the execution may have been deleted (its recommendations go with it).
  const [current] = await db
    .select({ status: recommendations.status, isChangedSince: changedSince ? changedAfter(changedSince) : sql<boolean>`false` })
    .from(recommendations)
    .where(eq(recommendations.id, rec.id));
  if (!current) return step({ outcome: "skipped", reason: runDeletedReason }, "run_deleted");
  if (current.isChangedSince) return { ...step(changedOutcome(current.status)), isChangedSince: true };
  if (!applicable.includes(current.status)) return step({ outcome: current.status === "applied" ? "already_applied" : "skipped", reason: skipReason(current.status) });
  const value = valueToApply(rec);
  let result: { ok: true } | { ok: false; reason: string };
  try {
    result = await adapter.applyChange(rec.itemType as ItemType, rec.itemRef, rec.field, rec.beforeValue, value, { keepTitleDistinct: true });
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    // The platform itself refused: nothing after this can apply either.
    return step({ outcome: "failed", reason: error.message }, "store");
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
      await recordAudit(tx, ctx, { action: "recommendation.applied", target: rec.id, data: { executionId: execution.id, item: rec.itemLabel, field: rec.field, before: rec.beforeValue, after: value, ...(stillThere ? {} : { executionDeleted: true }), ...(jobId ? { jobId } : {}) } });
    }
    return row ? "marked" : stillThere ? "done by another" : "run deleted";
  });
  if (marked === "run deleted") {
    return step(result.ok ? { outcome: "applied", reason: "Applied to the store as the execution was being deleted." } : { outcome: "failed", reason: result.reason }, "run_deleted");
  }
  if (!result.ok) return step(marked === "marked" ? { outcome: "failed", reason: result.reason } : { outcome: "already_applied" });
  return step({ outcome: marked === "marked" ? "applied" : "already_applied" });
}

/** Whether a recommendation was decided, applied or reverted after `since` (a preview's time, as ISO text to the microsecond). */
export function changedAfter(since: string): SQL<boolean> {
  return sql<boolean>`coalesce(greatest(${recommendations.decidedAt}, ${recommendations.appliedAt}, ${recommendations.revertedAt}) > ${since}::timestamptz, false)`;
}

const changedWords: Record<Recommendation["status"], string> = {
  pending: "set back to pending", approved: "approved", rejected: "rejected", applied: "applied by someone else", failed: "tried by someone else and could not apply", reverted: "reverted",
};

/** What happened to a recommendation that changed after the preview: reported, never applied as confirmed. */
export function changedOutcome(status: Recommendation["status"]): Omit<ChangeOutcome, "id" | "itemLabel" | "field"> {
  return {
    outcome: status === "applied" ? "already_applied" : "skipped",
    reason: `Not applied: it was ${changedWords[status]} after your preview, so it is not what you confirmed.${status === "applied" ? "" : " Check it and apply it on its own."}`,
  };
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

export async function storeAdapter(execution: Pick<ExecutionRow, "connectionId">) {
  if (!execution.connectionId) return null;
  const db = await getDb();
  const [connection] = await db.select().from(platformConnections).where(eq(platformConnections.id, execution.connectionId));
  return connection ? adapterFor(connection) : null;
}
