import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users, workspaces } from "./workspaces";

/** An agent run on a schedule with saved settings (F17). */
export const workflows = pgTable(
  "workflows",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    agentId: text("agent_id").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    /** Five-field cron expression, evaluated in `time_zone`. */
    schedule: text("schedule").notNull(),
    timeZone: text("time_zone").notNull().default("UTC"),
    isEnabled: boolean("is_enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    lastRunAt: timestamp("last_run_at", { withTimezone: true }),
    nextRunAt: timestamp("next_run_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("workflows_workspace_idx").on(t.workspaceId),
    index("workflows_due_idx").on(t.nextRunAt),
    index("workflows_creator_idx").on(t.workspaceId, t.createdBy),
  ],
);

export type Workflow = typeof workflows.$inferSelect;
