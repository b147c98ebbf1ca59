import { and, asc, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, shareAccessLog } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { isLive, mayManage } from "./permissions";
import { parseSelection } from "./selection";
import { visibleExecutions } from "./visibility";
import { recordAudit } from "@/lib/audit/record";

/**
 * Deletes executions for good (F12), one or a selection: all of them or none. Their items,
 * log, results, recommendations, action items, shares (with their access log) and report
 * files go with them through `on delete cascade`; notifications keep their text and lose
 * the link. The credit ledger keeps its rows: `credit_ledger.execution_id` has no foreign
 * key, so the history of what was reserved, charged and refunded stays, and the balance does
 * not move. The audit log records each deletion.
 *
 * An id this person cannot see (another workspace, archived) answers exactly as one that never
 * existed or is already deleted: not found when none of the selection is left, else counted
 * as already gone, so nothing reveals that a foreign execution exists.
 */
const notFoundMessage = "Execution not found: it may have been deleted, or belong to a workspace you are not in.";

export async function deleteExecutions(ctx: Ctx, rawIds: unknown): Promise<Outcome<{ deleted: string[]; alreadyGone: string[] }>> {
  const selection = parseSelection(rawIds);
  if (!selection.ok) return selection;
  const { ids } = selection;
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Locked in id order, so two overlapping bulk deletes wait for each other instead of deadlocking;
    // a row deleted by a concurrent call meanwhile is no longer returned, and counts as already gone.
    const found = await tx
      .select({ id: executions.id, agentId: executions.agentId, status: executions.status, triggeredBy: executions.triggeredBy, creditsCharged: executions.creditsCharged })
      .from(executions)
      .where(and(inArray(executions.id, ids), visibleExecutions(ctx)))
      .orderBy(asc(executions.id))
      .for("update");

    if (found.length === 0) return failure("not_found", ids.length === 1 ? notFoundMessage : "None of the selected executions could be found; they may have been deleted already.");
    const othersRuns = found.filter((e) => !mayManage(ctx, e));
    if (othersRuns.length > 0) {
      const which = ids.length === 1 ? "this run" : othersRuns.length === 1 ? "the selected run someone else started" : `the ${othersRuns.length} selected runs others started`;
      return failure("forbidden", `You can delete only runs you started; ask an admin to delete ${which}.`);
    }
    const active = found.filter(isLive);
    if (active.length > 0) {
      const which = active.length === 1 ? "the run" : `the ${active.length} queued or running runs`;
      return failure("conflict", `Cancel ${which} first; a running execution cannot be deleted.`);
    }

    const deletedIds = found.map((e) => e.id);
    if (deletedIds.length > 0) {
      // Access-log rows go with their share; their execution_id has no foreign key of its
      // own, so deleting by it too leaves none behind whatever share they hang on.
      await tx.delete(shareAccessLog).where(inArray(shareAccessLog.executionId, deletedIds));
      await tx.delete(executions).where(inArray(executions.id, deletedIds));
      await recordAudit(
        tx,
        ctx,
        found.map((e) => ({ action: "execution.deleted", target: e.id, data: { agentId: e.agentId, status: e.status, startedBy: e.triggeredBy, creditsCharged: e.creditsCharged } })),
      );
    }
    const isDeleted = new Set(deletedIds);
    return { ok: true as const, deleted: ids.filter((id) => isDeleted.has(id)), alreadyGone: ids.filter((id) => !isDeleted.has(id)) };
  });
}
