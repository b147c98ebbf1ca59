import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, users } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";
import { cancelRunningExecution } from "./engine";
import { appendLog } from "./log-lines";
import { lockRun } from "./ownership";
import { mayManage } from "./permissions";
import { getVisibleExecution } from "./queries";

/**
 * Asks a run to stop. A queued run nobody has taken up stops at once with a full refund; a
 * running one stops within its current batch, at the next slice of items (about a second at
 * most), charging only what it processed. The request is logged on the run with who asked and
 * audited once, however often it is repeated. Its starter and admins may cancel.
 */
export async function requestCancel(ctx: Ctx, executionId: string): Promise<Outcome<{ status: "canceled" | "canceling" }>> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return failure("not_found", "Execution not found.");
  if (!mayManage(ctx, execution)) return failure("forbidden", "Only the person who started this run, or an admin, can cancel it.");
  if (execution.status !== "queued" && execution.status !== "running") {
    return failure("conflict", `This run has already ${execution.status === "canceled" ? "been canceled" : "finished"}.`);
  }
  const db = await getDb();
  const isLive = await db.transaction(async (tx) => {
    // The row lock orders this log line after the engine's, whose batches hold the same lock.
    const run = await lockRun(tx, execution.id);
    if (!run || (run.status !== "queued" && run.status !== "running")) return false;
    const [asked] = await tx
      .update(executions)
      .set({ cancelRequestedAt: sql`now()`, cancelRequestedBy: ctx.userId })
      .where(and(eq(executions.id, execution.id), inArray(executions.status, ["queued", "running"]), isNull(executions.cancelRequestedAt)))
      .returning({ id: executions.id });
    if (asked) {
      const [asker] = await tx.select({ name: users.name }).from(users).where(eq(users.id, ctx.userId));
      await appendLog(tx, run, "warn", "cancel", `Cancel requested by ${asker?.name ?? "a member"} after ${run.itemsProcessed + run.itemsFailed} of ${run.itemsTotal} items`);
      await recordAudit(tx, ctx, { action: "execution.cancel_requested", target: execution.id, data: { agentId: execution.agentId, status: run.status } });
    }
    return true;
  });
  if (!isLive) return failure("conflict", "This run has already finished.");
  if (await cancelRunningExecution(execution.id, null)) return { ok: true, status: "canceled" };
  return { ok: true, status: "canceling" };
}
