import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executions, shareAccessLog, shares, users, workspaces, type Share } from "@/db/schema";
import { linkVisitorContext, type Ctx } from "@/lib/auth/context";
import { verifyPassword } from "@/lib/auth/passwords";
import { mayManage } from "@/lib/executions/permissions";
import { getVisibleExecution } from "@/lib/executions/queries";
import { failure, type Outcome } from "@/lib/outcome";
import { clearAttempts, countAttempt, countAttemptAsFailed, uncountAttempt, type AttemptWindow } from "@/lib/rate-limits/attempts";
import { grantMemberShare } from "./grants";
import { hashLinkToken, isValidLinkAccess, isWellFormedToken, linkAccessCookie, signLinkAccess, unlockedForMs } from "./tokens";
import { recordAudit } from "@/lib/audit/record";

/** Opening an execution through a share link: who gets in, and what they see. */

/** Five wrong passwords from one address close the link to that address for 15 minutes. */
const linkPasswordWindow: AttemptWindow = { limit: 5, windowMs: 15 * 60_000 };

export const goneMessage = "This link is no longer available.";
export const needsPasswordMessage = "Open the link and enter its password first.";

/** The person opening a link: signed in (with the workspaces they belong to, and their role there) or not. */
export type LinkViewer = { userId: string; memberships: { workspaceId: string; role: Ctx["role"] }[] } | null;

export function linkViewerOf(session: { userId: string; memberships: { workspaceId: string; role: Ctx["role"] }[] } | null): LinkViewer {
  return session ? { userId: session.userId, memberships: session.memberships.map(({ workspaceId, role }) => ({ workspaceId, role })) } : null;
}

export type LinkVisit =
  | { state: "gone" }
  /** Links are for members only in that workspace, and this viewer is not one (or not signed in). */
  | { state: "members_only"; isSignedIn: boolean }
  /** `canOpenInRunlog`: the viewer is a member who may see the run in Runlog without the link (its admin, who started it, one it was shared with). */
  | { state: "needs_password"; shareId: string; canOpenInRunlog: boolean }
  | { state: "open"; share: Share & { sharedByName: string | null }; ctx: Ctx; isMember: boolean };

/** The live share behind a token: unrevoked, unexpired, its execution still in the history. */
async function findLiveLink(token: string): Promise<(Share & { allowExternalLinks: boolean; sharedByName: string | null }) | null> {
  if (!isWellFormedToken(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ share: shares, allowExternalLinks: workspaces.allowExternalLinks, sharedByName: users.name })
    .from(shares)
    .innerJoin(workspaces, eq(workspaces.id, shares.workspaceId))
    .leftJoin(users, eq(users.id, shares.createdBy))
    .innerJoin(executions, and(eq(executions.id, shares.executionId), eq(executions.workspaceId, shares.workspaceId), isNull(executions.archivedAt)))
    .where(and(eq(shares.tokenHash, hashLinkToken(token)), eq(shares.kind, "link"), isNull(shares.revokedAt), sql`(${shares.expiresAt} is null or ${shares.expiresAt} > now())`));
  return row ? { ...row.share, allowExternalLinks: row.allowExternalLinks, sharedByName: row.sharedByName } : null;
}

/**
 * Decides what a link shows this viewer, and logs the open when it shows the execution.
 * `accessCookie` is the value of the link's cookie from an earlier right password.
 */
export async function visitShareLink(token: string, viewer: LinkViewer, ipAddress: string | null, accessCookie: string | undefined): Promise<LinkVisit> {
  const share = await findLiveLink(token);
  if (!share) return { state: "gone" };
  const membership = viewer?.memberships.find((m) => m.workspaceId === share.workspaceId);
  const isMember = membership !== undefined;
  if (!share.allowExternalLinks && !isMember) return { state: "members_only", isSignedIn: viewer !== null };
  if (share.passwordHash && !isValidLinkAccess(accessCookie, share.id, share.passwordHash)) {
    // A member who may see the run anyway is offered it in Runlog, where the link's password gives nothing more.
    const canOpenInRunlog = membership !== undefined && (await getVisibleExecution({ userId: viewer!.userId, workspaceId: share.workspaceId, role: membership.role }, share.executionId)) !== null;
    return { state: "needs_password", shareId: share.id, canOpenInRunlog };
  }
  const db = await getDb();
  await db.insert(shareAccessLog).values({ shareId: share.id, workspaceId: share.workspaceId, executionId: share.executionId, userId: isMember ? viewer!.userId : null, ipAddress });
  return { state: "open", share, ctx: linkVisitorContext(share), isMember };
}

export type UnlockedLink = { cookie: { name: string; value: string; path: string; maxAge: number } };

const password = z.string({ error: "Enter the link's password." }).min(1, "Enter the link's password.").max(200, "That password is too long.");

/** Checks a link's password; a right one answers the cookie that keeps the link open here. */
export async function unlockShareLink(token: string, rawPassword: unknown, ipAddress: string | null): Promise<Outcome<UnlockedLink>> {
  const share = await findLiveLink(token);
  if (!share) return failure("not_found", goneMessage);
  if (!share.passwordHash) return failure("invalid_input", "This link has no password.");
  const attemptsKey = `share-link:${share.id}:${ipAddress ?? "unknown"}`;
  const tooMany = () => failure("rate_limited", "Too many wrong passwords for this link from your address. Try again in 15 minutes.");
  const given = password.safeParse(rawPassword);
  if (!given.success) return failure("invalid_input", given.error.issues[0]!.message);
  const attempt = await countAttempt(attemptsKey, linkPasswordWindow);
  if (!attempt.isAdmitted) {
    await countAttemptAsFailed(attempt.hitId);
    return attempt.reason === "busy" ? failure("rate_limited", "Many passwords for this link from your address are being checked right now; try again in a moment.") : tooMany();
  }
  // Compared composed (NFC), as links keep it; a link made before that keeps it as typed.
  const composed = given.data.normalize("NFC");
  let isRight = false;
  try {
    isRight = (await verifyPassword(composed, share.passwordHash)) || (composed !== given.data && (await verifyPassword(given.data, share.passwordHash)));
  } finally {
    await (isRight ? uncountAttempt(attempt.hitId) : countAttemptAsFailed(attempt.hitId));
  }
  if (!isRight) {
    return attempt.tries >= linkPasswordWindow.limit ? tooMany() : failure("invalid_input", "That password is not right. Check it with the person who shared the link.");
  }
  await clearAttempts(attemptsKey);
  return {
    ok: true,
    cookie: { name: linkAccessCookie, value: signLinkAccess(share.id, share.passwordHash), path: `/s/${token}`, maxAge: Math.floor(unlockedForMs / 1000) },
  };
}

/**
 * A signed-in member who opened a link takes it into Runlog: a member share for them with
 * the link's permission, so they can work with the execution (and apply, when the link
 * allows it) as any grantee would. An existing grant is raised, never lowered. A link with a
 * password asks the same unlock as viewing it (`accessCookie`, from a right password): without
 * it, a member who may see the run anyway just goes to it, and anyone else is sent back to the
 * password form.
 */
export async function claimShareLink(member: Ctx & { memberships?: { workspaceId: string; role: Ctx["role"] }[] }, token: string, accessCookie: string | undefined): Promise<Outcome<{ executionId: string; workspaceId: string }>> {
  const share = await findLiveLink(token);
  // A member of the link's workspace takes it there, even when another of theirs is current.
  const role = share?.workspaceId === member.workspaceId ? member.role : member.memberships?.find((m) => m.workspaceId === share?.workspaceId)?.role;
  if (!share || !role) return failure("not_found", goneMessage);
  const ctx: Ctx = { userId: member.userId, workspaceId: share.workspaceId, role };
  const taken = { ok: true as const, executionId: share.executionId, workspaceId: share.workspaceId };
  const execution = await getVisibleExecution(ctx, share.executionId);
  // Their own run, or an admin's view: nothing to grant.
  if (execution && mayManage(ctx, execution)) return taken;
  if (share.passwordHash && !isValidLinkAccess(accessCookie, share.id, share.passwordHash)) {
    return execution ? taken : failure("unauthorized", needsPasswordMessage);
  }
  const db = await getDb();
  await db.transaction(async (tx) => {
    // An existing grant is raised to the link's "apply", never lowered to its "view".
    const granted = await grantMemberShare(
      tx,
      // A new grant lasts as long as the link: its expiry, and revoked with it (revokeShare).
      { workspaceId: share.workspaceId, executionId: share.executionId, granteeUserId: ctx.userId, permission: share.permission, message: share.message, createdBy: share.createdBy, expiresAt: share.expiresAt, viaLinkId: share.id },
      share.permission === "apply" ? { permission: "apply" } : {},
    );
    await recordAudit(tx, ctx, { action: "share.link_claimed", target: share.id, data: { executionId: share.executionId, permission: share.permission, memberShareId: granted?.isNew ? granted.shareId : null } });
  });
  return taken;
}
