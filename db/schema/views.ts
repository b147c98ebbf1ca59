import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users, workspaces } from "./workspaces";

/**
 * A named Past executions view: its filters and search kept as the very query string the page
 * uses (`?agent=seo-audit&status=failed&q=…`), private to its owner or shared with the workspace.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    ownerUserId: uuid("owner_user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull(),
    isShared: boolean("is_shared").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_key").on(t.workspaceId, t.ownerUserId, t.name),
    index("saved_views_shared_idx").on(t.workspaceId, t.isShared),
  ],
);

/** The view Past executions opens with for a person in a workspace (their own or a shared one). */
export const savedViewDefaults = pgTable(
  "saved_view_defaults",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    viewId: uuid("view_id").notNull().references(() => savedViews.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] })],
);

export type SavedView = typeof savedViews.$inferSelect;
