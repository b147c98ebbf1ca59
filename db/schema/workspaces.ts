import { relations } from "drizzle-orm";
import { boolean, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid, index } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";

export const memberRole = pgEnum("member_role", ["admin", "member"]);

export const workspaces = pgTable("workspaces", {
  id: id(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** When false, share links only open for signed-in members of this workspace. */
  allowExternalLinks: boolean("allow_external_links").notNull().default(true),
  /** When true, webhooks may deliver to private, loopback and link-local addresses (an admin's choice; off by default). */
  allowPrivateWebhooks: boolean("allow_private_webhooks").notNull().default(false),
  retentionSuccessDays: integer("retention_success_days").notNull().default(365),
  retentionFailureDays: integer("retention_failure_days").notNull().default(90),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    /**
     * Every session carries the version it began under; raising it (sign-out, a new password,
     * a removed membership) ends all of that person's sessions at once (lib/auth/sessions.ts).
     */
    sessionVersion: integer("session_version").notNull().default(0),
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const workspacesRelations = relations(workspaces, ({ many }) => ({ memberships: many(memberships) }));
export const usersRelations = relations(users, ({ many }) => ({ memberships: many(memberships) }));
export const membershipsRelations = relations(memberships, ({ one }) => ({
  workspace: one(workspaces, { fields: [memberships.workspaceId], references: [workspaces.id] }),
  user: one(users, { fields: [memberships.userId], references: [users.id] }),
}));

export type Workspace = typeof workspaces.$inferSelect;
export type User = typeof users.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type MemberRole = (typeof memberRole.enumValues)[number];
