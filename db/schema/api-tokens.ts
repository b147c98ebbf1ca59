import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users, workspaces } from "./workspaces";

/** A member's own token, or one an admin made for the workspace (scripts, BI sheets). */
export const apiTokenKind = pgEnum("api_token_kind", ["personal", "workspace"]);
/** `read`: every JSON, CSV and PDF route; `read_apply`: also the actions; `admin_read`: also the ledger, audit log and archive (workspace tokens only). */
export const apiTokenScope = pgEnum("api_token_scope", ["read", "read_apply", "admin_read"]);

/**
 * API tokens. The secret is shown once; the table keeps its SHA-256 and the first characters
 * (`rl_` and eight more) so a person can tell their tokens apart. The rate window counts this
 * token's requests in the current minute: one row update per request, the same for every web
 * process.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: apiTokenKind("kind").notNull(),
    /** A personal token's owner; a workspace token's creator, whose admin role it needs. */
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: apiTokenScope("scope").notNull(),
    tokenHash: text("token_hash").notNull(),
    tokenPrefix: text("token_prefix").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    rateWindowStart: timestamp("rate_window_start", { withTimezone: true }),
    rateWindowCount: integer("rate_window_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash), index("api_tokens_workspace_idx").on(t.workspaceId, t.createdAt.desc())],
);

export type ApiToken = typeof apiTokens.$inferSelect;
export type ApiTokenScope = (typeof apiTokenScope.enumValues)[number];
