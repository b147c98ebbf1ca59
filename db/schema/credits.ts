import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users, workspaces } from "./workspaces";

export const ledgerKind = pgEnum("ledger_kind", ["grant", "reserve", "refund", "adjustment"]);

/**
 * Append-only record of every credit movement. A reservation holds the estimate
 * (negative); settling refunds what was not used. What an execution was charged
 * is therefore the sum of its rows. Rows keep `execution_id` without a foreign key
 * so that deleting an execution never removes its credit history.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: ledgerKind("kind").notNull(),
    amount: integer("amount").notNull(),
    balanceAfter: integer("balance_after").notNull(),
    executionId: uuid("execution_id"),
    agentId: text("agent_id"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    idempotencyKey: text("idempotency_key").notNull(),
    note: text("note"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("credit_ledger_idempotency_key").on(t.workspaceId, t.idempotencyKey),
    index("credit_ledger_workspace_at_idx").on(t.workspaceId, t.at.desc(), t.id.desc()),
    index("credit_ledger_execution_idx").on(t.executionId),
  ],
);

/** The running balance, kept in the same transaction as each ledger row; locked to reserve. */
export const creditAccounts = pgTable(
  "credit_accounts",
  {
    workspaceId: uuid("workspace_id").primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
    balance: integer("balance").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("credit_accounts_balance_not_negative", sql`${t.balance} >= 0`)],
);

export type LedgerEntry = typeof creditLedger.$inferSelect;
export type LedgerKind = (typeof ledgerKind.enumValues)[number];
