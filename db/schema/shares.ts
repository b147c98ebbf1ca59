import { sql } from "drizzle-orm";
import { bigserial, boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { executions } from "./executions";
import { users, workspaces } from "./workspaces";

export const shareKind = pgEnum("share_kind", ["member", "link"]);
export const sharePermission = pgEnum("share_permission", ["view", "apply"]);

export const shares = pgTable(
  "shares",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    kind: shareKind("kind").notNull(),
    granteeUserId: uuid("grantee_user_id").references(() => users.id, { onDelete: "cascade" }),
    permission: sharePermission("permission").notNull().default("view"),
    message: text("message"),
    /** SHA-256 of the link token; the token itself is never stored. */
    tokenHash: text("token_hash"),
    passwordHash: text("password_hash"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** What a link shows its visitors of the run's credits and of people's names; its creator chooses, both hidden by default. */
    showsCredits: boolean("shows_credits").notNull().default(false),
    showsNames: boolean("shows_names").notNull().default(false),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /**
     * A member grant a member took from a link ("Open in Runlog"): it expires with the link and
     * is revoked with it, so revoking a link ends every access that came through it.
     */
    viaLinkId: uuid("via_link_id").references((): AnyPgColumn => shares.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("shares_token_hash_key").on(t.tokenHash),
    uniqueIndex("shares_member_grant_key")
      .on(t.executionId, t.granteeUserId)
      .where(sql`kind = 'member' and revoked_at is null`),
    index("shares_grantee_idx").on(t.workspaceId, t.granteeUserId, t.executionId),
    index("shares_execution_idx").on(t.executionId),
  ],
);

export const shareAccessLog = pgTable(
  "share_access_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shareId: uuid("share_id").notNull().references(() => shares.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    executionId: uuid("execution_id").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    ipAddress: text("ip_address"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("share_access_log_share_idx").on(t.shareId, t.at.desc())],
);

export type Share = typeof shares.$inferSelect;
export type SharePermission = (typeof sharePermission.enumValues)[number];
