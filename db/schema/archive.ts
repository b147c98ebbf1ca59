import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { executionStatus } from "./executions";
import { workspaces } from "./workspaces";

/** An execution past its retention period: out of the history, compacted into one row (F16). */
export const executionArchives = pgTable(
  "execution_archives",
  {
    executionId: uuid("execution_id").primaryKey(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    status: executionStatus("status").notNull(),
    triggeredBy: uuid("triggered_by"),
    creditsCharged: integer("credits_charged").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    archivedAt: timestamp("archived_at", { withTimezone: true }).notNull().defaultNow(),
    /** The execution with its items, log, results and recommendations, as exported JSON. */
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("execution_archives_workspace_idx").on(t.workspaceId, t.createdAt.desc())],
);
