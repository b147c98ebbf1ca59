import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { shareAccessLog, shares } from "@/db/schema";
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
