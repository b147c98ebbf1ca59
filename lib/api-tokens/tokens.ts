/**
 * API tokens (F18): a member's personal tokens and an admin's workspace tokens. The secret is
 * `rl_` and 43 base64url characters (256 bits), shown once; the database keeps its SHA-256,
 * so a leaked table opens nothing, and the `rl_` prefix lets secret scanners find a leaked one.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { apiTokens, users, type ApiToken, type ApiTokenScope } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { createOnce, removedSince } from "@/lib/submissions/create-once";

const apiTokenPrefix = "rl_";
const tokenShape = /^rl_[A-Za-z0-9_-]{43}$/;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function isWellFormedApiToken(token: string): boolean {
  return tokenShape.test(token);
}

/** How each scope reads on the settings page and in refusals. */
export const scopeLabels: Record<ApiTokenScope, string> = { read: "read", read_apply: "read+apply", admin_read: "admin-read" };

const expiryDays = { "30": 30, "90": 90, "365": 365, never: null } as const;

const createTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token, for instance after the script that will use it.").max(100, "Keep the name under 100 characters."),
  kind: z.enum(["personal", "workspace"], { error: "Choose a personal or a workspace token." }).default("personal"),
  scope: z.enum(["read", "read_apply", "admin_read"], { error: "Choose the token's scope: read, read+apply or admin-read." }),
  expiresIn: z.enum(["30", "90", "365", "never"], { error: "Choose when the token expires: in 30, 90 or 365 days, or never." }),
});

/** A new token's secret, answered this once; a repeat of its form's try answers the token without it (null), which nobody can see again. */
export type CreatedApiToken = { id: string; tokenPrefix: string } & ({ token: string; isRepeat: false } | { token: null; isRepeat: true });

/** Creates a token and answers its secret, which nobody can see again. */
export async function createApiToken(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome<CreatedApiToken>> {
  if (ctx.linkShare || ctx.apiToken) return failure("forbidden", "API tokens are created by a signed-in member under Settings → API tokens.");
  return createOnce<CreatedApiToken>(ctx, "api_token", raw, {
    create: async (claim) => {
      const parsed = createTokenInput.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
      const { name, kind, scope, expiresIn } = parsed.data;
      if (kind === "workspace" && !isAdmin(ctx)) return failure("forbidden", "Only workspace admins can create workspace tokens.");
      if (scope === "admin_read" && kind !== "workspace") return failure("invalid_input", "The admin-read scope is for workspace tokens; choose read or read+apply for a personal token.");
      const days = expiryDays[expiresIn];
      const token = apiTokenPrefix + randomBytes(32).toString("base64url");
      const tokenPrefix = token.slice(0, 11);
      const db = await getDb();
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiTokens)
          .values({
            id: await claim(tx), workspaceId: ctx.workspaceId, kind, userId: ctx.userId, name, scope, tokenHash: hashApiToken(token), tokenPrefix,
            expiresAt: days === null ? null : new Date(now.getTime() + days * 24 * 3600_000),
          })
          .returning({ id: apiTokens.id });
        await recordAudit(tx, ctx, { action: "api_token.created", target: row!.id, data: { name, tokenKind: kind, scope: scopeLabels[scope], expiresInDays: days } });
        return row!.id;
      });
      return { ok: true, id, tokenPrefix, token, isRepeat: false };
    },
    repeat: async (createdId) => {
      const db = await getDb();
      const [row] = await db.select({ id: apiTokens.id, tokenPrefix: apiTokens.tokenPrefix }).from(apiTokens).where(and(eq(apiTokens.id, createdId), eq(apiTokens.workspaceId, ctx.workspaceId), eq(apiTokens.userId, ctx.userId)));
      return row ? { ok: true, ...row, token: null, isRepeat: true } : removedSince("token");
    },
  });
}

export type ApiTokenSummary = Pick<ApiToken, "id" | "kind" | "name" | "scope" | "tokenPrefix" | "expiresAt" | "revokedAt" | "lastUsedAt" | "lastUsedIp" | "createdAt"> & { ownerName: string; canRevoke: boolean; isExpired: boolean };

/** A member's own personal tokens; an admin sees every token of the workspace. Newest first. */
export async function listApiTokens(ctx: Ctx): Promise<ApiTokenSummary[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: apiTokens.id, kind: apiTokens.kind, name: apiTokens.name, scope: apiTokens.scope, tokenPrefix: apiTokens.tokenPrefix, expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt, lastUsedAt: apiTokens.lastUsedAt, lastUsedIp: apiTokens.lastUsedIp, createdAt: apiTokens.createdAt, ownerName: users.name, userId: apiTokens.userId,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(isAdmin(ctx) ? eq(apiTokens.workspaceId, ctx.workspaceId) : and(eq(apiTokens.workspaceId, ctx.workspaceId), eq(apiTokens.userId, ctx.userId), eq(apiTokens.kind, "personal")))
    .orderBy(desc(apiTokens.createdAt))
    .limit(200);
  const now = Date.now();
  return rows.map(({ userId, ...row }) => ({ ...row, canRevoke: !row.revokedAt && (isAdmin(ctx) || userId === ctx.userId), isExpired: row.expiresAt !== null && row.expiresAt.getTime() <= now }));
}

/** Revokes a token at once: its next request gets a 401. Its owner or an admin may. */
export async function revokeApiToken(ctx: Ctx, rawId: unknown): Promise<Outcome> {
  const id = z.uuid().safeParse(rawId);
  if (!id.success) return failure("invalid_input", "That is not a token id.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [token] = await tx.select().from(apiTokens).where(and(eq(apiTokens.id, id.data), eq(apiTokens.workspaceId, ctx.workspaceId))).for("update");
    const isOwn = token?.kind === "personal" && token.userId === ctx.userId;
    if (!token || (!isOwn && !isAdmin(ctx))) return failure("not_found", "Token not found.");
    if (ctx.apiToken) return failure("forbidden", "A token cannot revoke tokens; revoke it under Settings → API tokens.");
    if (token.revokedAt) return failure("conflict", "This token was already revoked.");
    await tx.update(apiTokens).set({ revokedAt: new Date(), revokedBy: ctx.userId }).where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)));
    await recordAudit(tx, ctx, { action: "api_token.revoked", target: token.id, data: { name: token.name, tokenKind: token.kind, scope: scopeLabels[token.scope] } });
    return { ok: true };
  });
}
