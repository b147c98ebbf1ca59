import { sql } from "drizzle-orm";
import {
  bigserial, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { platformConnections } from "./platform";
import { workflows } from "./workflows";
import { users, workspaces } from "./workspaces";

export const executionStatus = pgEnum("execution_status", [
  "queued", "running", "completed", "failed", "canceled", "partial",
]);

/** Why a run failed, in the words of F15. */
export const executionErrorCode = pgEnum("execution_error_code", [
  "connection_lost", "insufficient_data", "invalid_settings", "rate_limited", "timeout", "internal",
]);

export type ExecutionScope = {
  mode: "all" | "collection" | "items";
  collection?: string;
  itemIds?: string[];
  maxItems: number;
};

/**
 * The sort keys of the history's duration and credits orders, as SQL the indexes below are
 * built on: a query reads an index only when it orders by the very same expression. A run
 * not finished yet lasts 0 ms so far; a live run counts the credits it holds, as the list shows.
 */
type SortKeyColumns = { status: AnyPgColumn; createdAt: AnyPgColumn; startedAt: AnyPgColumn; finishedAt: AnyPgColumn; creditsReserved: AnyPgColumn; creditsCharged: AnyPgColumn };
export const durationMsKey = (t: SortKeyColumns) =>
  sql`((extract(epoch from (coalesce(${t.finishedAt}, ${t.startedAt}, ${t.createdAt}) - coalesce(${t.startedAt}, ${t.createdAt}))) * 1000)::bigint)`;
export const creditsKey = (t: SortKeyColumns) =>
  sql`(case when ${t.status} in ('queued', 'running') then ${t.creditsReserved} else ${t.creditsCharged} end)`;

export const executions = pgTable(
  "executions",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    agentVersion: text("agent_version").notNull(),
    status: executionStatus("status").notNull().default("queued"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    scope: jsonb("scope").$type<ExecutionScope>().notNull(),
    connectionId: uuid("connection_id").references(() => platformConnections.id, { onDelete: "set null" }),
    itemsTotal: integer("items_total").notNull().default(0),
    itemsProcessed: integer("items_processed").notNull().default(0),
    itemsFailed: integer("items_failed").notNull().default(0),
    creditsReserved: integer("credits_reserved").notNull().default(0),
    creditsCharged: integer("credits_charged").notNull().default(0),
    creditsRefunded: integer("credits_refunded").notNull().default(0),
    errorCode: executionErrorCode("error_code"),
    errorMessage: text("error_message"),
    errorHint: text("error_hint"),
    /** The processing-log line where the run stopped, for troubleshooting. */
    errorLogSeq: integer("error_log_seq"),
    /** One-line, agent-specific summary of key results shown in the history list. */
    preview: text("preview"),
    triggeredBy: uuid("triggered_by").references(() => users.id, { onDelete: "set null" }),
    workflowId: uuid("workflow_id").references(() => workflows.id, { onDelete: "set null" }),
    rerunOf: uuid("rerun_of").references((): AnyPgColumn => executions.id, { onDelete: "set null" }),
    /** Batches finished so far, and the sort key of the last item they covered: a resumed run continues after it. */
    batchesDone: integer("batches_done").notNull().default(0),
    itemCursor: text("item_cursor"),
    /** Set by the run form so a double submit starts one run. */
    idempotencyKey: text("idempotency_key"),
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    /** Who cancel was asked by (shown on the run page; the audit log keeps the rest). */
    cancelRequestedBy: uuid("cancel_requested_by").references(() => users.id, { onDelete: "set null" }),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    /**
     * Who is executing the run (lib/executions/ownership.ts): an app instance, an Inngest
     * function run, or a sweep handing it over. Only the owner works on it, and only while
     * its lease lasts; a run whose lease expired may be taken over by anyone.
     */
    owner: text("owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    /** How many times an owner began working on the run; one that keeps dying is failed rather than taken over again. */
    attempts: integer("attempts").notNull().default(0),
    /** Items of the batch in hand analysed so far (not yet committed): the progress bar moves during a batch. */
    batchItemsDone: integer("batch_items_done").notNull().default(0),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /** Kept (exempt from archival) since when and by whom (F16); null: archived when its period ends. */
    keptAt: timestamp("kept_at", { withTimezone: true }),
    keptBy: uuid("kept_by").references(() => users.id, { onDelete: "set null" }),
    /** When retention counts from, if not `created_at`: the day a run was restored from the archive. */
    retentionFrom: timestamp("retention_from", { withTimezone: true }),
  },
  (t) => [
    // The history list: newest first, keyset on (created_at, id), always within one workspace.
    // NULLS FIRST is what `order by … desc` means; drizzle's `.desc()` alone writes NULLS LAST,
    // which no such order by can read from the index.
    index("executions_history_idx").on(t.workspaceId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("executions_agent_idx").on(t.workspaceId, t.agentId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Status counts (lib/executions/list.ts) read only these index pages: the partial ones
    // hold just the live history, so `archived_at is null` needs no visit to the table.
    index("executions_status_idx").on(t.workspaceId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`archived_at is null`),
    index("executions_triggered_by_idx").on(t.workspaceId, t.triggeredBy, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("executions_triggered_by_status_idx")
      .on(t.workspaceId, t.triggeredBy, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`archived_at is null and triggered_by is not null`),
    // A workflow's runs, newest first; the trailing columns let a member's list filter them
    // without reading the table (PostgreSQL's INCLUDE, which drizzle cannot declare).
    index("executions_workflow_idx").on(t.workflowId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst(), t.workspaceId, t.status, t.triggeredBy, t.archivedAt),
    index("executions_workflow_status_idx")
      .on(t.workspaceId, t.workflowId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst(), t.triggeredBy)
      .where(sql`archived_at is null and workflow_id is not null`),
    // Past executions sorted by duration or credits: for admins, and for a member's own runs (0010).
    index("executions_duration_idx").on(t.workspaceId, sql`${durationMsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null`),
    index("executions_credits_idx").on(t.workspaceId, sql`${creditsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null`),
    index("executions_triggered_by_duration_idx").on(t.workspaceId, t.triggeredBy, sql`${durationMsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null and triggered_by is not null`),
    index("executions_triggered_by_credits_idx").on(t.workspaceId, t.triggeredBy, sql`${creditsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null and triggered_by is not null`),
    // A member's walk over each of their workflows' runs, in those two orders (0011).
    index("executions_workflow_duration_idx").on(t.workflowId, sql`${durationMsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null and workflow_id is not null`),
    index("executions_workflow_credits_idx").on(t.workflowId, sql`${creditsKey(t)} desc nulls first`, t.id.desc().nullsFirst()).where(sql`archived_at is null and workflow_id is not null`),
    index("executions_active_idx").on(t.status).where(sql`status in ('queued', 'running')`),
    index("executions_rerun_of_idx").on(t.rerunOf),
    uniqueIndex("executions_idempotency_key").on(t.workspaceId, t.idempotencyKey),
  ],
);

export const itemOutcome = pgEnum("item_outcome", ["processed", "failed", "skipped"]);

/** One store item an execution looked at, with its outcome and, when it failed, why. */
export const executionItems = pgTable(
  "execution_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    itemType: text("item_type").notNull(),
    itemRef: text("item_ref").notNull(),
    itemLabel: text("item_label").notNull(),
    outcome: itemOutcome("outcome").notNull(),
    reason: text("reason"),
    /** Agent-specific score for the item (0–100), compared across runs. */
    score: real("score"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("execution_items_execution_item_key").on(t.executionId, t.itemRef),
    index("execution_items_outcome_idx").on(t.executionId, t.outcome),
  ],
);

export const logLevel = pgEnum("log_level", ["debug", "info", "warn", "error"]);

export const executionLogs = pgTable(
  "execution_logs",
  {
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    seq: integer("seq").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    level: logLevel("level").notNull().default("info"),
    step: text("step").notNull(),
    message: text("message").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.executionId, t.seq] })],
);

export type Execution = typeof executions.$inferSelect;
export type NewExecution = typeof executions.$inferInsert;
export type ExecutionStatus = (typeof executionStatus.enumValues)[number];
export type ExecutionErrorCode = (typeof executionErrorCode.enumValues)[number];
export type ExecutionItem = typeof executionItems.$inferSelect;
export type ExecutionLog = typeof executionLogs.$inferSelect;
