import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { bytea, createdAt, id } from "./columns";
import { executions } from "./executions";
import { users, workspaces } from "./workspaces";

export const reportFormat = pgEnum("report_format", ["csv", "json", "pdf"]);

/** A generated download, kept 30 days (lib/exports/report-files.ts); its bytes are its chunks, below. */
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
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Set when the last chunk is written; a file still being generated (or abandoned) has none. */
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [index("report_files_execution_idx").on(t.executionId, t.createdAt.desc()), index("report_files_expiry_idx").on(t.expiresAt)],
);

/**
 * A report file's bytes in order, up to a few megabytes per row: a large export is written and
 * read back a chunk at a time, never held whole in memory. A chunk is bytes, or text (UTF-8 in
 * the file) when the database wrote it itself: a batch of CSV or JSON rows, stored as built by
 * `runlog_store_text_chunk` (migration 0007) without a conversion to bytes.
 */
export const reportFileChunks = pgTable(
  "report_file_chunks",
  {
    fileId: uuid("file_id").notNull().references(() => reportFiles.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    content: bytea("content"),
    textContent: text("text_content"),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] }), check("report_file_chunks_one_content", sql`num_nonnulls(${t.content}, ${t.textContent}) = 1`)],
);

export type ReportFile = typeof reportFiles.$inferSelect;
export type ReportFormat = (typeof reportFormat.enumValues)[number];
