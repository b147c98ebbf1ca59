import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { executions } from "./executions";
import { users } from "./workspaces";

export const resultKind = pgEnum("result_kind", [
  "recommendations", "report", "generated_content", "scores", "action_items",
]);

/**
 * One block of an execution's output. The payload's shape depends on the kind
 * (see lib/results/payloads.ts); per-row state that people change lives in the
 * recommendations and action_items tables instead.
 */
export const executionResults = pgTable(
  "execution_results",
  {
    id: id(),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    kind: resultKind("kind").notNull(),
    title: text("title").notNull(),
    position: integer("position").notNull().default(0),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("execution_results_execution_idx").on(t.executionId, t.position)],
);

export const priority = pgEnum("priority", ["high", "medium", "low"]);

export const recommendationStatus = pgEnum("recommendation_status", [
  "pending", "approved", "rejected", "applied", "failed", "reverted",
]);

/** `change`: a fix to an existing field; `generated`: new text a person may edit before applying. */
export const recommendationOrigin = pgEnum("recommendation_origin", ["change", "generated"]);

export const recommendations = pgTable(
  "recommendations",
  {
    id: id(),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    origin: recommendationOrigin("origin").notNull().default("change"),
    itemType: text("item_type").notNull(),
    itemRef: text("item_ref").notNull(),
    itemLabel: text("item_label").notNull(),
    field: text("field").notNull(),
    beforeValue: text("before_value"),
    afterValue: text("after_value").notNull(),
    editedValue: text("edited_value"),
    priority: priority("priority").notNull(),
    rationale: text("rationale").notNull(),
    status: recommendationStatus("status").notNull().default("pending"),
    applyError: text("apply_error"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    appliedBy: uuid("applied_by").references(() => users.id, { onDelete: "set null" }),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    revertedBy: uuid("reverted_by").references(() => users.id, { onDelete: "set null" }),
    revertedAt: timestamp("reverted_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("recommendations_execution_idx").on(t.executionId, t.priority, t.status),
    // Downloads read an execution's recommendations in the page's default order (priority,
    // item, id), one key range at a time.
    index("recommendations_execution_order_idx").on(t.executionId, t.priority, t.itemLabel, t.id),
    index("recommendations_item_idx").on(t.workspaceId, t.itemRef, t.field),
    // Which of a batch's candidate titles the run has proposed already (the SEO audit keeps them
    // distinct, lib/agents/seo-audit.ts). Titles only: they are short (at most 120 characters by
    // the audit's settings), where other fields' values can outgrow an index entry.
    index("recommendations_execution_title_idx").on(t.executionId, t.afterValue).where(sql`field = 'title'`),
    // Which of them another run of the store proposed, still open (pending or approved), for
    // another item: the item last, so a lookup steps over that item's own earlier proposals.
    index("recommendations_open_title_idx").on(t.workspaceId, t.afterValue, t.itemRef).where(sql`field = 'title' and status in ('pending', 'approved')`),
  ],
);

export const actionItems = pgTable(
  "action_items",
  {
    id: id(),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    position: integer("position").notNull(),
    priority: priority("priority").notNull(),
    title: text("title").notNull(),
    detail: text("detail").notNull(),
    isDone: boolean("is_done").notNull().default(false),
    doneBy: uuid("done_by").references(() => users.id, { onDelete: "set null" }),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [index("action_items_execution_idx").on(t.executionId, t.position)],
);

export type ExecutionResult = typeof executionResults.$inferSelect;
export type ResultKind = (typeof resultKind.enumValues)[number];
export type Recommendation = typeof recommendations.$inferSelect;
export type Priority = (typeof priority.enumValues)[number];
export type ActionItem = typeof actionItems.$inferSelect;
