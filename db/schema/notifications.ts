import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { executions } from "./executions";
import { users, workspaces } from "./workspaces";

export const notificationSettings = pgTable(
  "notification_settings",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    isCompletionEnabled: boolean("is_completion_enabled").notNull().default(true),
    completionMinMinutes: integer("completion_min_minutes").notNull().default(5),
    isFailureEnabled: boolean("is_failure_enabled").notNull().default(true),
    isWeeklySummaryEnabled: boolean("is_weekly_summary_enabled").notNull().default(false),
    isCreditThresholdEnabled: boolean("is_credit_threshold_enabled").notNull().default(false),
    creditThreshold: integer("credit_threshold").notNull().default(500),
    /** Admins only: also alert on failures of other members' runs. */
    isWorkspaceFailureEnabled: boolean("is_workspace_failure_enabled").notNull().default(false),
    isEmailEnabled: boolean("is_email_enabled").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export const notificationKind = pgEnum("notification_kind", [
  "completion", "failure", "credit_threshold", "weekly_summary", "share", "awaiting_approval", "low_balance", "apply_finished",
]);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    executionId: uuid("execution_id").references(() => executions.id, { onDelete: "set null" }),
    href: text("href"),
    /** Makes sending idempotent: one notification per event and person. */
    dedupeKey: text("dedupe_key").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notifications_dedupe_key").on(t.dedupeKey),
    index("notifications_user_idx").on(t.userId, t.workspaceId, t.createdAt.desc()),
  ],
);

export const emailStatus = pgEnum("email_status", ["queued", "sent", "failed", "outbox"]);

/** Every email the app sends; with no SMTP configured it stays here, readable in the app. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: id(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    dedupeKey: text("dedupe_key").notNull(),
    status: emailStatus("status").notNull().default("queued"),
    error: text("error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** Sends tried so far; a send the mail server turned away for now is tried again, up to a limit. */
    attempts: integer("attempts").notNull().default(0),
    /** When a queued email that failed for now is due to be tried again (null: never tried). */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_outbox_dedupe_key").on(t.dedupeKey),
    index("email_outbox_workspace_idx").on(t.workspaceId, t.createdAt.desc()),
    index("email_outbox_retry_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
  ],
);

export type NotificationSettings = typeof notificationSettings.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
