import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bytea, createdAt, id } from "./columns";
import { executions } from "./executions";
import { users, workspaces } from "./workspaces";

export const reportFormat = pgEnum("report_format", ["csv", "json", "pdf"]);

/** A generated download, kept for the workspace's report-file period (30 days by default). */
export const reportFiles = pgTable(
  "report_files",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").references(() => executions.id, { onDelete: "cascade" }),
    format: reportFormat("format").notNull(),
    /** Which table of the execution (recommendations, items, log…), or the whole report. */
    part: text("part").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** The file itself, unless it lives in object storage at `storage_key`. */
    content: bytea("content"),
    storageKey: text("storage_key"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("report_files_execution_idx").on(t.executionId, t.createdAt.desc()), index("report_files_expiry_idx").on(t.expiresAt)],
);

export type ReportFile = typeof reportFiles.$inferSelect;
