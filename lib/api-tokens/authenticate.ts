/**
 * The second way into a member route: `Authorization: Bearer rl_…`. A token acts as its owner
 * (a personal token: that member, with their role now; a workspace token: the admin who made
 * it, as long as they are still an admin), so the visibility rule shows it exactly what that
 * person may see; its scope then narrows what it may do. Each request counts against the
 * token's per-minute limit in its own database row, so every web process shares one count.
 */
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiTokens, memberships, type ApiTokenScope } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record";
import { failure, type Failure, type Outcome } from "@/lib/outcome";
import { hashApiToken, isWellFormedApiToken, scopeLabels } from "./tokens";

/** What a route needs a token to be allowed: reading, the actions people take, or the admin-only exports. */
export type TokenNeed = "read" | "apply" | "admin";

const scopesFor: Record<TokenNeed, ApiTokenScope[]> = { read: ["read", "read_apply", "admin_read"], apply: ["read_apply"], admin: ["admin_read"] };
const refusalFor: Record<TokenNeed, string> = {
  read: "This token cannot read.",
  apply: "This token may only read; starting, canceling, applying and deciding need a read+apply token.",
  admin: "The credit ledger, audit log and archive need an admin-read workspace token.",
};

/** Requests one token may make per minute (API_TOKEN_RATE_LIMIT, default 600). */
function tokenRateLimit(): number {
  const configured = Number(process.env.API_TOKEN_RATE_LIMIT);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : 600;
}

const settingsHint = "Create a new one under Settings → API tokens.";
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** A refused token; a rate-limited one says when to try again. */
export type TokenRefusal = Failure & { retryAfterSeconds?: number };

export async function authenticateApiToken(header: string, need: TokenNeed, ipAddress: string | null): Promise<Outcome<{ ctx: Ctx }> | TokenRefusal> {
  const secret = header.replace(/^Bearer\s+/i, "").trim();
  if (!isWellFormedApiToken(secret)) return failure("unauthorized", `This is not a Runlog API token (they start with rl_ and are 46 characters long). ${settingsHint}`);
  const tokenHash = hashApiToken(secret);
  const db = await getDb();
  const windowIsOpen = sql`${apiTokens.rateWindowStart} > now() - interval '1 minute'`;
  const [token] = await db
    .update(apiTokens)
    .set({
      rateWindowStart: sql`case when ${windowIsOpen} then ${apiTokens.rateWindowStart} else now() end`,
      rateWindowCount: sql`case when ${windowIsOpen} then ${apiTokens.rateWindowCount} + 1 else 1 end`,
      lastUsedAt: sql`now()`,
      lastUsedIp: ipAddress,
    })
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`))))
    .returning({
      id: apiTokens.id, workspaceId: apiTokens.workspaceId, kind: apiTokens.kind, userId: apiTokens.userId, scope: apiTokens.scope, count: apiTokens.rateWindowCount,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${apiTokens.rateWindowStart} + interval '1 minute' - now()))))::int`,
    });
  if (!token) return refuseDeadToken(tokenHash, ipAddress);

  const limit = tokenRateLimit();
  if (token.count > limit) {
    return { ...failure("rate_limited", `This token made more than ${limit} requests in a minute; try again in ${token.retryAfter} s.`), retryAfterSeconds: Number(token.retryAfter) };
  }
  const [membership] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.workspaceId, token.workspaceId), eq(memberships.userId, token.userId)));
  if (!membership) return failure("unauthorized", `This token's owner is no longer a member of its workspace. ${settingsHint}`);
  if (token.kind === "workspace" && membership.role !== "admin") return failure("unauthorized", `The admin who created this workspace token is no longer an admin. ${settingsHint}`);
  const ctx: Ctx = { userId: token.userId, workspaceId: token.workspaceId, role: membership.role, apiToken: { id: token.id } };
  if (!scopesFor[need].includes(token.scope)) {
    await recordAudit(db, ctx, { action: "api_token.denied", target: token.id, data: { reason: "scope", scope: scopeLabels[token.scope], needs: need }, ipAddress });
    return failure("forbidden", `${refusalFor[need]} This one's scope is ${scopeLabels[token.scope]}.`);
  }
  return { ok: true, ctx };
}

/** A well-formed token that did not authenticate: revoked, expired, or never issued. */
async function refuseDeadToken(tokenHash: string, ipAddress: string | null): Promise<Failure> {
  const db = await getDb();
  const [token] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash));
  if (!token) return failure("unauthorized", `This API token is not valid: check it was copied whole. ${settingsHint}`);
  const reason = token.revokedAt ? "revoked" : "expired";
  await recordAudit(db, { workspaceId: token.workspaceId, userId: token.userId, apiToken: { id: token.id } }, { action: "api_token.denied", target: token.id, data: { reason }, ipAddress });
  return token.revokedAt
    ? failure("unauthorized", `This API token was revoked on ${dayOf(token.revokedAt)}. ${settingsHint}`)
    : failure("unauthorized", `This API token expired on ${dayOf(token.expiresAt!)}. ${settingsHint}`);
}

/**
 * Why work a token started in the background (an apply job) must stop now, or null while the
 * token still acts: revoked, expired or deleted, or a workspace token whose admin is no longer
 * one. A revoked token stops what it set going, not only its next request.
 */
export async function whyTokenNoLongerActs(tokenId: string): Promise<string | null> {
  const db = await getDb();
  const [token] = await db
    .select({ revokedAt: apiTokens.revokedAt, hasExpired: sql<boolean>`${apiTokens.expiresAt} <= now()`, kind: apiTokens.kind, userId: apiTokens.userId, workspaceId: apiTokens.workspaceId })
    .from(apiTokens)
    .where(eq(apiTokens.id, tokenId));
  if (!token) return "The API token that started it was deleted";
  if (token.revokedAt) return "The API token that started it was revoked";
  if (token.hasExpired) return "The API token that started it expired";
  if (token.kind !== "workspace") return null;
  const [membership] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.workspaceId, token.workspaceId), eq(memberships.userId, token.userId)));
  return membership?.role === "admin" ? null : "The admin who created the workspace API token that started it is no longer an admin";
}
