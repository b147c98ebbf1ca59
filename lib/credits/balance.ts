import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts } from "@/db/schema";

/** The workspace's credit balance (kept equal to the ledger's sum by lib/credits). */
export async function getBalance(workspaceId: string): Promise<number> {
  const db = await getDb();
  const [account] = await db
    .select({ balance: creditAccounts.balance })
    .from(creditAccounts)
    .where(eq(creditAccounts.workspaceId, workspaceId));
  return account?.balance ?? 0;
}
