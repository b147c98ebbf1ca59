import { and, eq, exists, gt, isNull, ne, not, or, sql, type SQL } from "drizzle-orm";
import { executions, shares, workflows } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";

/**
 * The one rule for which executions a person may see (DESIGN §1). Every list, detail,
 * export, compare and share path filters with it:
 * - never anything outside the current workspace, never archived runs (they leave the history);
 * - admins: every execution of the workspace;
 * - members: runs they started, runs shared with them (an unrevoked, unexpired member
 *   share), and runs of automated workflows they created;
 * - a visitor through a share link: the one execution the link shares.
 */
export function visibleExecutions(ctx: Ctx): SQL {
  const inWorkspace = and(eq(executions.workspaceId, ctx.workspaceId), isNull(executions.archivedAt))!;
  if (ctx.linkShare) return and(inWorkspace, eq(executions.id, ctx.linkShare.executionId))!;
  if (isAdmin(ctx)) return inWorkspace;
  return and(inWorkspace, or(eq(executions.triggeredBy, ctx.userId), sharedWith(ctx), startedByWorkflowOf(ctx)))!;
}

/** Executions shared with this person by a live member share. */
function sharedWith(ctx: Ctx): SQL {
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

export type Direction = "older" | "newer";

/**
 * The same rule as `visibleExecutions`, shaped for lists over large histories: the ids of
 * up to `limit` visible executions matching `conditions`, in keyset order of (`sortKey`, id)
 * — the created time unless the list is sorted otherwise — or in any order when `direction`
 * is null, as counts need. For a member it is three small index walks rather than one filter
 * over the whole workspace: own runs, then runs of each of their workflows not started by
 * them, then runs shared with them that neither walk covered. The walks never overlap, so
 * they are simply appended: a count stops as soon as the first walks reach the limit, and
 * each walk brings its sort key so only the page's rows are fetched whole.
 */
export function visibleExecutionIds(ctx: Ctx, conditions: SQL[], direction: Direction | null, limit: number, sortKey: SQL = sql`${executions.createdAt}`): SQL {
  const where = (...more: SQL[]) => and(eq(executions.workspaceId, ctx.workspaceId), isNull(executions.archivedAt), ...more, ...conditions);
  const keyOrder = (key: SQL, id: SQL) => (direction === null ? sql`` : direction === "older" ? sql` order by ${key} desc, ${id} desc` : sql` order by ${key} asc, ${id} asc`);
  const order = keyOrder(sortKey, sql`${executions.id}`);
  if (ctx.linkShare) return sql`select ${executions.id} from ${executions} where ${where(eq(executions.id, ctx.linkShare.executionId))} limit ${limit}`;
  if (isAdmin(ctx)) return sql`select ${executions.id} from ${executions} where ${where()}${order} limit ${limit}`;
  const isOwn = eq(executions.triggeredBy, ctx.userId);
  const isNotOwn = or(isNull(executions.triggeredBy), ne(executions.triggeredBy, ctx.userId))!;
  const own = sql`(select ${executions.id}, ${sortKey} as sort_key from ${executions} where ${where(isOwn)}${order} limit ${limit})`;
  // Per workflow, its newest runs from its own index; one join would walk the whole history. A
  // count needs no order: one statement over all their workflows lets the planner join a rare
  // search word's few runs once rather than probe every run of each workflow for it.
  const ofWorkflows = direction === null
    ? sql`(select ${executions.id}, ${sortKey} as sort_key from ${executions} where ${where(isNotOwn, startedByWorkflowOf(ctx))} limit ${limit})`
    : sql`(select runs.id, runs.sort_key from ${workflows} cross join lateral (select ${executions.id}, ${sortKey} as sort_key from ${executions}
    where ${where(eq(executions.workflowId, workflows.id), isNotOwn)}${order} limit ${limit}) runs
    where ${and(eq(workflows.workspaceId, ctx.workspaceId), eq(workflows.createdBy, ctx.userId))}${keyOrder(sql`runs.sort_key`, sql`runs.id`)} limit ${limit})`;
  const shared = sql`(select ${executions.id}, ${sortKey} as sort_key from ${executions} inner join ${shares} on ${and(eq(shares.executionId, executions.id), isLiveShareWith(ctx))}
    where ${where(isNotOwn, not(startedByWorkflowOf(ctx)))}${order} limit ${limit})`;
  return sql`select visible.id from (${own} union all ${ofWorkflows} union all ${shared}) visible${keyOrder(sql`visible.sort_key`, sql`visible.id`)} limit ${limit}`;
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
