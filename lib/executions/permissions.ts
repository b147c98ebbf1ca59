import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { shares, type Execution } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { isLiveShareWith } from "./visibility";

/** Who may cancel or delete a run they can see: its starter, and admins. */
export function mayManage(ctx: Ctx, execution: Pick<Execution, "triggeredBy">): boolean {
  if (ctx.linkShare) return false;
  return isAdmin(ctx) || execution.triggeredBy === ctx.userId;
}

/** A run still holding credits and work: it must be canceled before it can be deleted. */
export function isLive(execution: Pick<Execution, "status">): boolean {
  return execution.status === "queued" || execution.status === "running";
}

/**
 * Who may apply and revert an execution's recommendations (and edit its generated text):
 * those who may manage it, and members it was shared with "can apply" by a live share.
 */
export async function mayApply(ctx: Ctx, execution: Pick<Execution, "id" | "triggeredBy">): Promise<boolean> {
  if (ctx.linkShare) return false;
  if (mayManage(ctx, execution)) return true;
  const db = await getDb();
  const [share] = await db
    .select({ id: shares.id })
    .from(shares)
    .where(and(eq(shares.executionId, execution.id), eq(shares.permission, "apply"), isLiveShareWith(ctx)))
    .limit(1);
  return Boolean(share);
}
