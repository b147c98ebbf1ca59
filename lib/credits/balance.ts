import { and, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts, creditLedger, users, type LedgerEntry } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";

/** The workspace's credit balance (kept equal to the ledger's sum by lib/credits). */
export async function getBalance(workspaceId: string): Promise<number> {
  const db = await getDb();
  const [account] = await db
    .select({ balance: creditAccounts.balance })
    .from(creditAccounts)
    .where(eq(creditAccounts.workspaceId, workspaceId));
  return account?.balance ?? 0;
}

export type LedgerRow = LedgerEntry & { userName: string | null };

/** Newest ledger movements: all of the workspace for admins, a member's own otherwise. */
export async function listRecentLedger(ctx: Ctx, limit = 50): Promise<LedgerRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ entry: creditLedger, userName: users.name })
    .from(creditLedger)
    .leftJoin(users, eq(users.id, creditLedger.userId))
    .where(
      isAdmin(ctx)
        ? eq(creditLedger.workspaceId, ctx.workspaceId)
        : and(eq(creditLedger.workspaceId, ctx.workspaceId), eq(creditLedger.userId, ctx.userId)),
    )
    .orderBy(desc(creditLedger.at), desc(creditLedger.id))
    .limit(limit);
  return rows.map(({ entry, userName }) => ({ ...entry, userName }));
}
