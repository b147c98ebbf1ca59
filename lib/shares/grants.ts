import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { shares, type SharePermission } from "@/db/schema";

type Grant = { workspaceId: string; executionId: string; granteeUserId: string; permission: SharePermission; message: string | null; createdBy: string | null };

/**
 * Gives a member a live share of an execution: a new grant, or their existing one with
 * `change` applied. The partial unique index keeps one live grant per person, so a
 * concurrent grant to the same person lands on the first instead of beside it.
 */
export async function grantMemberShare(tx: Tx, grant: Grant, change: Partial<Pick<Grant, "permission" | "message">>): Promise<{ shareId: string; isNew: boolean } | null> {
  const [created] = await tx
    .insert(shares)
    .values({ ...grant, kind: "member" })
    .onConflictDoNothing({ target: [shares.executionId, shares.granteeUserId], where: sql`kind = 'member' and revoked_at is null` })
    .returning({ id: shares.id });
  if (created) return { shareId: created.id, isNew: true };
  const live = and(eq(shares.executionId, grant.executionId), eq(shares.granteeUserId, grant.granteeUserId), eq(shares.kind, "member"), isNull(shares.revokedAt));
  const [existing] = Object.keys(change).length
    ? await tx.update(shares).set(change).where(live).returning({ id: shares.id })
    : await tx.select({ id: shares.id }).from(shares).where(live);
  return existing ? { shareId: existing.id, isNew: false } : null;
}
