import { and, eq, isNull, or, sql } from "drizzle-orm";
import { executeRows, type Tx } from "@/db/client";
import { shares, type SharePermission } from "@/db/schema";

type Grant = { workspaceId: string; executionId: string; granteeUserId: string; permission: SharePermission; message: string | null; createdBy: string | null; expiresAt?: Date | null; viaLinkId?: string };

/**
 * Gives a member a live share of an execution: a new grant, or their existing one with
 * `change` applied. The partial unique index keeps one live grant per person, so a
 * concurrent grant to the same person lands on the first instead of beside it. `isChanged`
 * says whether an existing grant took a permission or message it did not have.
 */
export async function grantMemberShare(tx: Tx, grant: Grant, change: Partial<Pick<Grant, "permission" | "message">>): Promise<{ shareId: string; isNew: boolean; isChanged: boolean } | null> {
  const [created] = await tx
    .insert(shares)
    .values({ ...grant, kind: "member" })
    .onConflictDoNothing({ target: [shares.executionId, shares.granteeUserId], where: sql`kind = 'member' and revoked_at is null` })
    .returning({ id: shares.id });
  if (created) return { shareId: created.id, isNew: true, isChanged: false };
  const live = and(eq(shares.executionId, grant.executionId), eq(shares.granteeUserId, grant.granteeUserId), eq(shares.kind, "member"), isNull(shares.revokedAt));
  const differs = or(
    ...(change.permission === undefined ? [] : [sql`${shares.permission} is distinct from ${change.permission}::share_permission`]),
    ...(change.message === undefined ? [] : [sql`${shares.message} is distinct from ${change.message}::text`]),
  );
  const [changed] = differs ? await tx.update(shares).set(change).where(and(live, differs)).returning({ id: shares.id }) : [];
  if (changed) return { shareId: changed.id, isNew: false, isChanged: true };
  const [existing] = await tx.select({ id: shares.id }).from(shares).where(live);
  return existing ? { shareId: existing.id, isNew: false, isChanged: false } : null;
}

/**
 * Shares many runs with chosen members at once (a bulk share by filter, F19): one live "member"
 * grant per run and person, made only where none is live yet — a run already shared with that
 * person keeps its grant as it is, so doing this twice changes nothing the second time. People
 * who have left the workspace, and a run's own starter (who sees it anyway), get nothing.
 * Answers how many runs each person was newly given.
 */
export async function grantMemberSharesInBulk(
  tx: Tx,
  grant: { workspaceId: string; executionIds: string[]; userIds: string[]; permission: SharePermission; createdBy: string },
): Promise<Record<string, number>> {
  if (!grant.executionIds.length || !grant.userIds.length) return {};
  const runs = sql.join(grant.executionIds.map((id) => sql`${id}::uuid`), sql`, `);
  const people = sql.join(grant.userIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = await executeRows<{ userId: string; count: number }>(tx, sql`
    with made as (
      insert into shares (workspace_id, execution_id, kind, grantee_user_id, permission, created_by)
      select e.workspace_id, e.id, 'member', m.user_id, ${grant.permission}::share_permission, ${grant.createdBy}::uuid
      from executions e
      join memberships m on m.workspace_id = e.workspace_id and m.user_id in (${people})
      where e.workspace_id = ${grant.workspaceId}::uuid and e.id in (${runs}) and e.triggered_by is distinct from m.user_id
      on conflict (execution_id, grantee_user_id) where kind = 'member' and revoked_at is null do nothing
      returning grantee_user_id
    )
    select grantee_user_id as "userId", count(*)::int as "count" from made group by grantee_user_id`);
  return Object.fromEntries(rows.map((row) => [row.userId, Number(row.count)]));
}
