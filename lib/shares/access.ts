import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { shareAccessLog, shares, users } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { isLiveShareWith } from "@/lib/executions/visibility";

/**
 * Logs a member's open of an execution shared with them (links log their own opens). One
 * statement: a person with no live share of it logs nothing.
 */
export async function recordMemberShareOpen(ctx: Ctx, executionId: string, ipAddress: string | null): Promise<void> {
  const db = await getDb();
  await db.execute(sql`
    insert into ${shareAccessLog} (share_id, workspace_id, execution_id, user_id, ip_address)
    select ${shares.id}, ${shares.workspaceId}, ${shares.executionId}, ${ctx.userId}::uuid, ${ipAddress}
    from ${shares} where ${and(eq(shares.executionId, executionId), isLiveShareWith(ctx))}`);
}

export type ShareWithMe = { sharedByName: string | null; permission: "view" | "apply"; message: string | null; sharedAt: Date };

/** The live member share through which this person sees the execution, for the banner on its page; null when it is not shared with them. */
export async function getShareWithMe(ctx: Ctx, executionId: string): Promise<ShareWithMe | null> {
  const db = await getDb();
  const [share] = await db
    .select({ sharedByName: users.name, permission: shares.permission, message: shares.message, sharedAt: shares.createdAt })
    .from(shares)
    .leftJoin(users, eq(users.id, shares.createdBy))
    .where(and(eq(shares.executionId, executionId), isLiveShareWith(ctx)))
    .orderBy(desc(shares.permission), desc(shares.createdAt))
    .limit(1);
  return share ?? null;
}
