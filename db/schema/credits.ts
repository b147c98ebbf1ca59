import { sql } from "drizzle-orm";
import { bigserial, check, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    // NULLS FIRST is what `order by … desc` means; `.desc()` alone writes NULLS LAST, which such an order by cannot read.
    index("credit_ledger_workspace_at_idx").on(t.workspaceId, t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("credit_ledger_user_at_idx").on(t.workspaceId, t.userId, t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
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

/**
 * What each member's runs of each agent used and earned per UTC day: runs started, credits
 * used (reservations net of refunds), items in scope, recommendations made and applied. Kept
 * in the same transactions as the ledger rows, recommendation writes and applies
 * (lib/credits/usage.ts), so the Credits page adds up days instead of scanning the ledger.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    agentId: text("agent_id").notNull(),
    /** Who started the runs; the nil id when no member did. No foreign key: usage outlives members. */
    userId: uuid("user_id").notNull(),
    runs: integer("runs").notNull().default(0),
    creditsUsed: integer("credits_used").notNull().default(0),
    itemsInScope: integer("items_in_scope").notNull().default(0),
    recommendations: integer("recommendations").notNull().default(0),
    applied: integer("applied").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.agentId, t.userId] }), index("usage_daily_workspace_user_idx").on(t.workspaceId, t.userId, t.day)],
);

export type LedgerEntry = typeof creditLedger.$inferSelect;
export type LedgerKind = (typeof ledgerKind.enumValues)[number];
