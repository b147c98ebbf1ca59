import { and, eq, exists, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { executions, shares, workflows } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";

/**
 * The one rule for which executions a person may see (DESIGN §1). Every list, detail,
 * export, compare and share path filters with it:
 * - never anything outside the current workspace, never archived runs (they leave the history);
 * - admins: every execution of the workspace;
 * - members: runs they started, runs shared with them (an unrevoked, unexpired member
 *   share), and runs of automated workflows they created.
 */
export function visibleExecutions(ctx: Ctx): SQL {
  const inWorkspace = and(eq(executions.workspaceId, ctx.workspaceId), isNull(executions.archivedAt))!;
  if (isAdmin(ctx)) return inWorkspace;
  return and(inWorkspace, or(eq(executions.triggeredBy, ctx.userId), sharedWith(ctx), startedByWorkflowOf(ctx)))!;
}

/** Executions shared with this person by a live member share. */
export function sharedWith(ctx: Ctx): SQL {
  return exists(sql`(select 1 from ${shares} where ${and(eq(shares.executionId, executions.id), isLiveShareWith(ctx))})`);
}

/** A member share to this person that is neither revoked nor expired. */
export function isLiveShareWith(ctx: Ctx): SQL {
  return and(
    eq(shares.workspaceId, ctx.workspaceId),
    eq(shares.kind, "member"),
    eq(shares.granteeUserId, ctx.userId),
    isNull(shares.revokedAt),
    or(isNull(shares.expiresAt), gt(shares.expiresAt, sql`now()`)),
  )!;
}

function startedByWorkflowOf(ctx: Ctx): SQL {
  return exists(
    sql`(select 1 from ${workflows} where ${and(
      eq(workflows.id, executions.workflowId),
      eq(workflows.workspaceId, ctx.workspaceId),
      eq(workflows.createdBy, ctx.userId),
    )})`,
  );
}
