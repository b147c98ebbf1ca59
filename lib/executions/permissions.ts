import type { Execution } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";

/** Who may cancel or delete a run they can see: its starter, and admins. */
export function mayManage(ctx: Ctx, execution: Pick<Execution, "triggeredBy">): boolean {
  return isAdmin(ctx) || execution.triggeredBy === ctx.userId;
}

/** A run still holding credits and work: it must be canceled before it can be deleted. */
export function isLive(execution: Pick<Execution, "status">): boolean {
  return execution.status === "queued" || execution.status === "running";
}
