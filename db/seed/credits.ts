import type { creditLedger } from "@/db/schema";

/** A credit movement of the demo history, before it gets its place and running balance in the ledger. */
export type CreditEvent = {
  at: Date;
  kind: "grant" | "reserve" | "refund";
  amount: number;
  key: string;
  executionId?: string;
  agentId?: string;
  userId?: string | null;
  note?: string;
};

const topUpCredits = 5_000;

/**
 * Orders the movements in time and writes each with the balance after it, in the order
 * the rows must be inserted (so bigserial ids follow time). Where the plan would run dry,
 * the admin buys a top-up first, as real teams do, so the balance never goes below zero.
 */
export function buildLedger(workspaceId: string, events: CreditEvent[]): { rows: (typeof creditLedger.$inferInsert)[]; balance: number } {
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === "grant" ? 0 : 1) - (b.kind === "grant" ? 0 : 1));
  const rows: (typeof creditLedger.$inferInsert)[] = [];
  let balance = 0;
  let lastAt = 0;
  for (const event of sorted) {
    if (balance + event.amount < 0) {
      balance += topUpCredits;
      const at = new Date(Math.max(lastAt, event.at.getTime() - 60_000));
      rows.push({ workspaceId, kind: "grant", amount: topUpCredits, balanceAfter: balance, executionId: null, agentId: null, userId: null, idempotencyKey: `grant:top-up:${event.key}`, note: "Credit top-up", at });
    }
    balance += event.amount;
    lastAt = event.at.getTime();
    rows.push({
      workspaceId, kind: event.kind, amount: event.amount, balanceAfter: balance, executionId: event.executionId ?? null,
      agentId: event.agentId ?? null, userId: event.userId ?? null, idempotencyKey: event.key, note: event.note ?? null, at: event.at,
    });
  }
  return { rows, balance };
}
