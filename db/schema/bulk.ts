import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * An action on every run a filter matched (F19: "select all N matching"), worked through in
 * bounded batches, each its own transaction that also moves `cursor_*` on: a job that stops
 * resumes after its last committed batch, and one done twice changes nothing twice. Only runs
 * created before the job was asked for are in it.
 */
export const bulkJobs = pgTable(
  "bulk_jobs",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    /** `delete`, `cancel` or `share`. */
    action: text("action").notNull(),
    /** A share's members and permission, and how many runs each was newly given so far (counted in the batches' transactions). */
    share: jsonb("share").$type<BulkShareParams>(),
    /** The filters and search, as the history's query string. */
    query: text("query").notNull(),
    /** The filter in words, as the confirm showed it ("SEO audit · failed · last 30 days"). */
    description: text("description").notNull(),
    /** How many runs the person confirmed. */
    expected: integer("expected").notNull(),
    done: integer("done").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    /** `running`, `finished` or `stopped` (the person lost access meanwhile). */
    status: text("status").notNull().default("running"),
    /** The last run handled, in the history's newest-first order (created time to the microsecond, then id). */
    cursorAt: text("cursor_at"),
    cursorId: uuid("cursor_id"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("bulk_jobs_running_idx").on(t.status, t.heartbeatAt)],
);

export type BulkShareParams = { userIds: string[]; permission: "view" | "apply"; newlySharedWith: Record<string, number> };

export type BulkJob = typeof bulkJobs.$inferSelect;
