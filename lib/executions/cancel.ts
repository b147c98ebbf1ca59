import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { cancelRunningExecution } from "./engine";
import { mayManage } from "./permissions";
import { getVisibleExecution } from "./queries";
import { recordAudit } from "@/lib/audit/record";

/**
 * Asks a run to stop. A queued run stops at once with a full refund; a running one stops
 * between batches (the engine checks), charging only what it processed. Its starter and
 * admins may cancel.
 */
export async function requestCancel(ctx: Ctx, executionId: string): Promise<Outcome<{ status: "canceled" | "canceling" }>> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return failure("not_found", "Execution not found.");
  if (!mayManage(ctx, execution)) return failure("forbidden", "Only the person who started this run, or an admin, can cancel it.");
  if (execution.status !== "queued" && execution.status !== "running") {
    return failure("conflict", `This run has already ${execution.status === "canceled" ? "been canceled" : "finished"}.`);
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [asked] = await tx
      .update(executions)
      .set({ cancelRequestedAt: sql`coalesce(${executions.cancelRequestedAt}, now())` })
      .where(and(eq(executions.id, execution.id), inArray(executions.status, ["queued", "running"])))
      .returning({ id: executions.id });
    if (asked) {
      await recordAudit(tx, ctx, { action: "execution.cancel_requested", target: execution.id, data: { agentId: execution.agentId, status: execution.status } });
    }
  });
  if (execution.status === "queued") {
    await cancelRunningExecution(execution.id);
    return { ok: true, status: "canceled" };
  }
  return { ok: true, status: "canceling" };
}
