import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
    /** Set when the last chunk is written; a file still being generated (or abandoned) has none. */
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("report_files_execution_idx").on(t.executionId, t.createdAt.desc()), index("report_files_expiry_idx").on(t.expiresAt)],
);

/**
 * A report file's bytes in order, a few hundred kilobytes per row: a large export is written
 * and read back a chunk at a time, never held whole in memory.
 */
export const reportFileChunks = pgTable(
  "report_file_chunks",
  {
    fileId: uuid("file_id").notNull().references(() => reportFiles.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    content: bytea("content").notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] })],
);

export type ReportFile = typeof reportFiles.$inferSelect;
export type ReportFormat = (typeof reportFormat.enumValues)[number];
