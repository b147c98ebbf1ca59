import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { creditAccounts, creditLedger, type LedgerKind } from "@/db/schema";
import { failure, type Outcome } from "@/lib/outcome";
import { addUsage } from "./usage";

/**
 * Every credit movement goes through here: one ledger row and the matching balance change,
 * in the caller's transaction. The workspace's account row is locked first, so movements of
 * one workspace happen one at a time and a reservation can never overdraw the balance. An
 * idempotency key per movement makes a retried step move credits once.
 */
export type Movement = {
  workspaceId: string;
  kind: LedgerKind;
  /** Positive; the sign follows from the kind. */
  amount: number;
  idempotencyKey: string;
  executionId?: string | null;
  agentId?: string | null;
  userId?: string | null;
  note?: string | null;
  /** A reservation's items in scope, for cost-per-item insights. */
  itemsInScope?: number;
};

const outgoing: Record<LedgerKind, boolean> = { grant: false, refund: false, reserve: true, adjustment: false };

export async function moveCredits(tx: DbOrTx, movement: Movement): Promise<Outcome<{ balance: number; isRepeat: boolean }>> {
  if (!Number.isInteger(movement.amount) || movement.amount < 0) throw new Error(`credit amounts are non-negative integers, got ${movement.amount}`);
  const [account] = await tx
    .select({ balance: creditAccounts.balance })
    .from(creditAccounts)
    .where(eq(creditAccounts.workspaceId, movement.workspaceId))
    .for("update");
  const [existing] = await tx
    .select({ id: creditLedger.id })
    .from(creditLedger)
    .where(and(eq(creditLedger.workspaceId, movement.workspaceId), eq(creditLedger.idempotencyKey, movement.idempotencyKey)))
    .limit(1);
  const balance = account?.balance ?? 0;
  if (existing) return { ok: true, balance, isRepeat: true };

  const signed = outgoing[movement.kind] ? -movement.amount : movement.amount;
  if (balance + signed < 0) {
    return failure(
      "insufficient_credits",
      `This run needs ${movement.amount.toLocaleString("en-US")} credits and the workspace has ${balance.toLocaleString("en-US")}. Reduce the scope or add credits.`,
    );
  }
  const next = balance + signed;
  if (account) {
    await tx.update(creditAccounts).set({ balance: next, updatedAt: sql`now()` }).where(eq(creditAccounts.workspaceId, movement.workspaceId));
  } else {
    await tx.insert(creditAccounts).values({ workspaceId: movement.workspaceId, balance: next });
  }
  await tx.insert(creditLedger).values({
    workspaceId: movement.workspaceId,
    kind: movement.kind,
    amount: signed,
    balanceAfter: next,
    executionId: movement.executionId ?? null,
    agentId: movement.agentId ?? null,
    userId: movement.userId ?? null,
    idempotencyKey: movement.idempotencyKey,
    note: movement.note ?? null,
  });
  if (movement.agentId && (movement.kind === "reserve" || movement.kind === "refund")) {
    await addUsage(tx, { workspaceId: movement.workspaceId, agentId: movement.agentId, userId: movement.userId ?? null }, {
      runs: movement.kind === "reserve" ? 1 : 0, creditsUsed: -signed, itemsInScope: movement.itemsInScope ?? 0,
    });
  }
  return { ok: true, balance: next, isRepeat: false };
}
