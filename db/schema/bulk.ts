import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { executions } from "./executions";
import { users, workspaces } from "./workspaces";

/**
 * An action on everything a filter matched (F19: "select all N matching"), worked through in
 * bounded batches: a job that stops resumes after its last batch, and one done twice changes
 * nothing twice. `delete`, `cancel` and `share` act on the runs of Past executions, each batch
 * its own transaction that also moves `cursor_*` on (only runs created before the job was asked
 * for are in it). `apply` applies the recommendations of one run a filter matched, a part at a
 * time (lib/results/apply-job.ts): its plan, position and what happened are in `apply`.
 */
export const bulkJobs = pgTable(
  "bulk_jobs",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    /** `delete`, `cancel`, `share` or `apply`. */
    action: text("action").notNull(),
    /** For `apply`: the run whose recommendations apply (null once the run is deleted). */
    executionId: uuid("execution_id").references(() => executions.id, { onDelete: "set null" }),
    /** A share's members and permission, and how many runs each was newly given so far (counted in the batches' transactions). */
    share: jsonb("share").$type<BulkShareParams>(),
    /** The filters and search, as the history's query string (for `apply`, the recommendation list's). */
    query: text("query").notNull(),
    /** The filter in words, as the confirm showed it ("SEO audit · failed · last 30 days"). */
    description: text("description").notNull(),
    /** How many runs the person confirmed. */
    expected: integer("expected").notNull(),
    done: integer("done").notNull().default(0),
    skipped: integer("skipped").notNull().default(0),
    /** For `apply`: changes the store refused. */
    failed: integer("failed").notNull().default(0),
    /** For `apply`: the plan's next part, and what the parts so far reported. */
    apply: jsonb("apply").$type<ApplyJobState>(),
    /** `running`, `finished` or `stopped` (the person lost access meanwhile, or asked it to stop). */
    status: text("status").notNull().default("running"),
    /** When the person asked it to stop: it stops after the batch under way. */
    stopRequestedAt: timestamp("stop_requested_at", { withTimezone: true }),
    /** For `apply`: the process working on it, which holds it while `heartbeat_at` is recent. */
    worker: text("worker"),
    /** The last run handled, in the history's newest-first order (created time to the microsecond, then id). */
    cursorAt: text("cursor_at"),
    cursorId: uuid("cursor_id"),
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("bulk_jobs_running_idx").on(t.status, t.heartbeatAt), index("bulk_jobs_execution_idx").on(t.executionId)],
);

/** A change an apply job could not make as confirmed, with the reason (the summary lists the first ones). */
export type ApplyProblem = { id: string; itemLabel: string; field: string; outcome: "failed" | "skipped"; reason: string };

export type ApplyJobState = {
  /** The plan's token for its next part (lib/results/apply-in-parts.ts); null once no part is left. */
  next: string | null;
  /** Changes of the plan not yet tried. */
  remaining: number;
  /** Changes found already applied (by someone else meanwhile, or by a part cut short and taken up again). */
  alreadyApplied: number;
  /** The first failures and skips, with reasons. */
  problems: ApplyProblem[];
  /** Changes of the plan that someone else changed after the preview so that they left its filter (no part met them), counted at the end. */
  changedElsewhere?: number;
  /** Why it ended early (the store stopped answering, the run was deleted, the person asked). */
  ending?: string;
  /** The API token it was started with: its changes and summary are audited "through API token", as the token's own actions are. */
  throughTokenId?: string;
  /** The run it applies to, kept once `execution_id` is cleared by the run's deletion, so the job's API address still answers. */
  runId?: string;
};

export type BulkShareParams = { userIds: string[]; permission: "view" | "apply"; newlySharedWith: Record<string, number> };

export type BulkJob = typeof bulkJobs.$inferSelect;
