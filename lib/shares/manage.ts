import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { memberships, notifications, shareAccessLog, shares, users, type SharePermission } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/passwords";
import { listWorkspaceMembers } from "@/lib/auth/users";
import { mayManage } from "@/lib/executions/permissions";
import { getVisibleExecution, type ExecutionRow } from "@/lib/executions/queries";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { createOnce, removedSince } from "@/lib/submissions/create-once";
import { getExternalLinksAllowed } from "./settings";
import { grantMemberShare } from "./grants";
import { hashLinkToken, newLinkToken } from "./tokens";
import { recordAudit } from "@/lib/audit/record";

/** Sharing an execution (F10): with chosen members of its workspace, or by a link. */

const permission = z.enum(["view", "apply"], { error: "Permission must be “view only” or “can apply recommendations”." });
const message = z
  .string()
  .trim()
  .max(1000, "Keep the message under 1,000 characters.")
  .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), "The message holds control characters that cannot be stored; remove them and try again.")
  .nullish()
  .transform((value) => value || null);

const memberShareInput = z.object({
  userIds: z.array(z.uuid({ error: "That person could not be found." })).min(1, "Choose at least one person to share with.").max(50, "Share with at most 50 people at once."),
  permission,
  message,
});

const linkExpiries = { "1d": 1, "7d": 7, "30d": 30, never: null } as const;

const linkShareInput = z.object({
  permission,
  message,
  password: z
    .string()
    .max(200, "Keep the password under 200 characters.")
    .nullish()
    // One password however the keyboard composed its accents (NFC), as unlocking compares it.
    .transform((value) => value?.normalize("NFC") || null)
    .refine((value) => value === null || value.length >= 8, "A link password needs at least 8 characters.")
    .refine((value) => value === null || value.trim() !== "", "A link password cannot be only spaces."),
  expiresIn: z.enum(["1d", "7d", "30d", "never"], { error: "Expiry must be 1 day, 7 days, 30 days or never." }),
  // What outsiders see of the run's credits and of people's names: hidden unless chosen.
  showsCredits: z.boolean({ error: "Choose whether the link shows credits." }).default(false),
  showsNames: z.boolean({ error: "Choose whether the link shows people's names." }).default(false),
});

const linkDisclosureInput = z.object({
  showsCredits: z.boolean({ error: "Choose whether the link shows credits." }).optional(),
  showsNames: z.boolean({ error: "Choose whether the link shows people's names." }).optional(),
});

const shareId = z.uuid({ error: "That share could not be found." });

/** The execution, if this person may share it: its starter and admins may. */
async function loadShareable(ctx: Ctx, executionId: string): Promise<Outcome<{ execution: ExecutionRow }>> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return failure("not_found", "Execution not found.");
  if (!mayManage(ctx, execution)) return failure("forbidden", "Only the person who ran this execution and workspace admins can share it.");
  return { ok: true, execution };
}


export type MemberShareResult = { shared: { userId: string; shareId: string; isNew: boolean }[] };

/**
 * Shares with each chosen member: a new grant, or the existing live one given the new
 * permission and message. Each new grantee gets an in-app notification; a grant that changed
 * is audited, one shared again as it was (a form sent twice) is not.
 */
export async function shareWithMembers(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<MemberShareResult>> {
  const parsed = memberShareInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const loaded = await loadShareable(ctx, executionId);
  if (!loaded.ok) return loaded;
  const { execution } = loaded;
  const input = parsed.data;
  const userIds = [...new Set(input.userIds)];
  if (userIds.includes(ctx.userId)) return failure("invalid_input", "You can already see this execution; choose someone else.");

  const db = await getDb();
  const grantees = await db
    .select({ userId: memberships.userId, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), inArray(memberships.userId, userIds)));
  if (grantees.length !== userIds.length) return failure("invalid_input", "Executions can only be shared with members of this workspace.");
  const [sharer] = await db.select({ name: users.name }).from(users).where(eq(users.id, ctx.userId));

  const shared = await db.transaction(async (tx) => {
    const results: MemberShareResult["shared"] = [];
    for (const grantee of grantees) {
      const granted = await grantMemberShare(
        tx,
        { workspaceId: ctx.workspaceId, executionId: execution.id, granteeUserId: grantee.userId, permission: input.permission, message: input.message, createdBy: ctx.userId },
        { permission: input.permission, message: input.message },
      );
      if (!granted) continue;
      if (granted.isNew) {
        await recordAudit(tx, ctx, { action: "share.created", target: granted.shareId, data: { executionId: execution.id, kind: "member", granteeUserId: grantee.userId, permission: input.permission } });
        await tx
          .insert(notifications)
          .values({
            workspaceId: ctx.workspaceId, userId: grantee.userId, kind: "share", executionId: execution.id, href: `/executions/${execution.id}`,
            title: `${sharer?.name ?? "A colleague"} shared ${agentName(execution.agentId)} with you`,
            body: input.message ?? (input.permission === "apply" ? "You can review and apply its recommendations." : "You can review its results."),
            dedupeKey: `share:${granted.shareId}`,
          })
          .onConflictDoNothing();
      } else if (granted.isChanged) {
        await recordAudit(tx, ctx, { action: "share.updated", target: granted.shareId, data: { executionId: execution.id, granteeUserId: grantee.userId, permission: input.permission } });
      }
      results.push({ userId: grantee.userId, shareId: granted.shareId, isNew: granted.isNew });
    }
    return results;
  });
  return { ok: true, shared };
}

/** A new link, with its token answered this once; a repeat of its form's try answers the link without them (null), which nobody can see again. */
export type CreatedLink = { shareId: string; expiresAt: Date | null } & ({ token: string; path: string; isRepeat: false } | { token: null; path: null; isRepeat: true });

/** A new link; the token is answered once, here, and kept only as a hash. */
export async function createShareLink(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<CreatedLink>> {
  const loaded = await loadShareable(ctx, executionId);
  if (!loaded.ok) return loaded;
  return createOnce<CreatedLink>(ctx, "share_link", raw, {
    create: async (claim) => {
      const parsed = linkShareInput.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
      const input = parsed.data;
      const token = newLinkToken();
      const days = linkExpiries[input.expiresIn];
      const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      const db = await getDb();
      const created = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(shares)
          .values({
            id: await claim(tx), workspaceId: ctx.workspaceId, executionId: loaded.execution.id, kind: "link", permission: input.permission, message: input.message, tokenHash: hashLinkToken(token),
            passwordHash, expiresAt, showsCredits: input.showsCredits, showsNames: input.showsNames, createdBy: ctx.userId,
          })
          .returning({ id: shares.id });
        await recordAudit(tx, ctx, {
          action: "share.link_created", target: row!.id,
          data: { executionId: loaded.execution.id, kind: "link", permission: input.permission, hasPassword: passwordHash !== null, expiresAt, showsCredits: input.showsCredits, showsNames: input.showsNames },
        });
        return row!;
      });
      return { ok: true, shareId: created.id, token, path: `/s/${token}`, expiresAt, isRepeat: false };
    },
    repeat: async (createdId) => {
      const db = await getDb();
      const [link] = await db
        .select({ shareId: shares.id, expiresAt: shares.expiresAt })
        .from(shares)
        .where(and(eq(shares.id, createdId), eq(shares.workspaceId, ctx.workspaceId), eq(shares.executionId, loaded.execution.id), eq(shares.kind, "link")));
      return link ? { ok: true, ...link, token: null, path: null, isRepeat: true } : removedSince("link");
    },
  });
}

/** A live share of an execution this person may share. */
async function loadLiveShare(ctx: Ctx, raw: unknown) {
  const id = shareId.safeParse(raw);
  if (!id.success) return failure("not_found", "That share could not be found.");
  const db = await getDb();
  const [share] = await db.select().from(shares).where(and(eq(shares.id, id.data), eq(shares.workspaceId, ctx.workspaceId)));
  if (!share) return failure("not_found", "That share could not be found.");
  const loaded = await loadShareable(ctx, share.executionId);
  if (!loaded.ok) return loaded.code === "not_found" ? failure("not_found", "That share could not be found.") : loaded;
  return { ok: true as const, share };
}

export async function changeSharePermission(ctx: Ctx, rawShareId: unknown, rawPermission: unknown): Promise<Outcome> {
  const next = permission.safeParse(rawPermission);
  if (!next.success) return failure("invalid_input", describeInvalidInput(next.error));
  const loaded = await loadLiveShare(ctx, rawShareId);
  if (!loaded.ok) return loaded;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(shares)
      .set({ permission: next.data })
      .where(and(eq(shares.id, loaded.share.id), isNull(shares.revokedAt)))
      .returning({ id: shares.id });
    if (!row) return failure("gone", "This share was revoked; share again to give access.");
    await recordAudit(tx, ctx, { action: "share.updated", target: row.id, data: { executionId: loaded.share.executionId, kind: loaded.share.kind, permission: next.data, was: loaded.share.permission } });
    return { ok: true as const };
  });
}

/** Changes what a live link shows its visitors of credits and of people's names. */
export async function changeLinkDisclosure(ctx: Ctx, rawShareId: unknown, raw: unknown): Promise<Outcome> {
  const next = linkDisclosureInput.safeParse(raw);
  if (!next.success) return failure("invalid_input", describeInvalidInput(next.error));
  const loaded = await loadLiveShare(ctx, rawShareId);
  if (!loaded.ok) return loaded;
  if (loaded.share.kind !== "link") return failure("invalid_input", "Only a link hides credits and names; members see the run as it is.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(shares)
      .set(next.data)
      .where(and(eq(shares.id, loaded.share.id), isNull(shares.revokedAt)))
      .returning({ id: shares.id, showsCredits: shares.showsCredits, showsNames: shares.showsNames });
    if (!row) return failure("gone", "This link was revoked; create a new one.");
    await recordAudit(tx, ctx, { action: "share.updated", target: row.id, data: { executionId: loaded.share.executionId, kind: "link", showsCredits: row.showsCredits, showsNames: row.showsNames } });
    return { ok: true as const };
  });
}

/** Revokes a grant or a link at once; revoking twice says so rather than failing. */
export async function revokeShare(ctx: Ctx, rawShareId: unknown): Promise<Outcome<{ wasRevoked: boolean }>> {
  const loaded = await loadLiveShare(ctx, rawShareId);
  if (!loaded.ok) return loaded;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(shares)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(shares.id, loaded.share.id), isNull(shares.revokedAt)))
      .returning({ id: shares.id });
    if (!row) return { ok: true as const, wasRevoked: false };
    // Members who took a link into Runlog lose what they took with it.
    const taken = await tx.update(shares).set({ revokedAt: sql`now()` }).where(and(eq(shares.viaLinkId, row.id), isNull(shares.revokedAt))).returning({ id: shares.id });
    await recordAudit(tx, ctx, { action: "share.revoked", target: row.id, data: { executionId: loaded.share.executionId, kind: loaded.share.kind, granteeUserId: loaded.share.granteeUserId, ...(taken.length ? { grantsTakenFromLink: taken.length } : {}) } });
    return { ok: true as const, wasRevoked: true };
  });
}

export type ShareOverview = {
  members: { id: string; userId: string; name: string; email: string; permission: SharePermission; message: string | null; createdAt: Date; sharedByName: string | null }[];
  links: { id: string; permission: SharePermission; message: string | null; hasPassword: boolean; expiresAt: Date | null; isExpired: boolean; showsCredits: boolean; showsNames: boolean; createdAt: Date; sharedByName: string | null }[];
  access: { at: Date; shareId: string; kind: "member" | "link"; who: string; ipAddress: string | null }[];
  /** Workspace members it could be shared with (everyone but the viewer). */
  candidates: { userId: string; name: string; email: string }[];
  allowsExternalLinks: boolean;
};

/** Who has access and who opened it: for the share dialog, to those who may share. */
export async function getShareOverview(ctx: Ctx, executionId: string, accessLimit = 100): Promise<Outcome<ShareOverview>> {
  const loaded = await loadShareable(ctx, executionId);
  if (!loaded.ok) return loaded;
  const db = await getDb();
  const grantee = db.select({ id: users.id, name: users.name, email: users.email }).from(users).as("grantee");
  const sharer = db.select({ id: users.id, name: users.name }).from(users).as("sharer");
  const live = and(eq(shares.executionId, loaded.execution.id), eq(shares.workspaceId, ctx.workspaceId), isNull(shares.revokedAt));
  const [rows, access, candidates, allowsExternalLinks] = await Promise.all([
    db
      .select({ share: shares, granteeName: grantee.name, granteeEmail: grantee.email, sharedByName: sharer.name, isExpired: sql<boolean>`coalesce(${shares.expiresAt} <= now(), false)` })
      .from(shares)
      .leftJoin(grantee, eq(grantee.id, shares.granteeUserId))
      .leftJoin(sharer, eq(sharer.id, shares.createdBy))
      .where(live)
      .orderBy(asc(shares.createdAt)),
    db
      .select({ at: shareAccessLog.at, shareId: shareAccessLog.shareId, kind: shares.kind, userName: users.name, ipAddress: shareAccessLog.ipAddress })
      .from(shareAccessLog)
      .innerJoin(shares, eq(shares.id, shareAccessLog.shareId))
      .leftJoin(users, eq(users.id, shareAccessLog.userId))
      .where(and(eq(shareAccessLog.executionId, loaded.execution.id), eq(shareAccessLog.workspaceId, ctx.workspaceId)))
      .orderBy(desc(shareAccessLog.at), desc(shareAccessLog.id))
      .limit(accessLimit),
    listWorkspaceMembers(ctx),
    getExternalLinksAllowed(ctx),
  ]);
  return {
    ok: true,
    members: rows
      .filter((row) => row.share.kind === "member" && row.share.granteeUserId)
      .map(({ share, granteeName, granteeEmail, sharedByName }) => ({
        id: share.id, userId: share.granteeUserId!, name: granteeName ?? "A former member", email: granteeEmail ?? "", permission: share.permission, message: share.message, createdAt: share.createdAt, sharedByName,
      })),
    links: rows
      .filter((row) => row.share.kind === "link")
      .map(({ share, sharedByName, isExpired }) => ({
        id: share.id, permission: share.permission, message: share.message, hasPassword: share.passwordHash !== null, expiresAt: share.expiresAt, isExpired,
        showsCredits: share.showsCredits, showsNames: share.showsNames, createdAt: share.createdAt, sharedByName,
      })),
    access: access.map((row) => ({ at: row.at, shareId: row.shareId, kind: row.kind, who: row.userName ?? (row.kind === "link" ? "Someone with the link" : "A former member"), ipAddress: row.ipAddress })),
    candidates: candidates.filter((member) => member.userId !== ctx.userId).map(({ userId, name, email }) => ({ userId, name, email })),
    allowsExternalLinks,
  };
}
