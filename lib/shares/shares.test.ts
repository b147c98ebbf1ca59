import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, executions, notifications, rateLimitHits, recommendations, reportFiles, shares, workspaces } from "@/db/schema";
import { loadExecutionContent } from "@/lib/executions/content";
import { exportExecution } from "@/lib/exports/export-execution";
import { seededCtx } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { listExecutions } from "@/lib/executions/list";
import { emptyFilter } from "@/lib/executions/list-filter";
import { mayApply } from "@/lib/executions/permissions";
import { getVisibleExecution } from "@/lib/executions/queries";
import { recordMemberShareOpen } from "./access";
import { claimShareLink, unlockShareLink, visitShareLink, type LinkViewer } from "./links";
import { setExternalLinksAllowed } from "./settings";
import { changeSharePermission, createShareLink, getShareOverview, revokeShare, shareWithMembers } from "./manage";
import { hashLinkToken, newLinkToken } from "./tokens";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let globexAdmin: Ctx;
/** An Acme run by sam that maya cannot otherwise see. */
let executionId: string;
/** Another Acme run, never shared. */
let otherExecutionId: string;
/** A third, for the password-link claim. */
let lockedExecutionId: string;
/** A run of sam's shared with maya again and again. */
let resharedExecutionId: string;

const anonymous: LinkViewer = null;
const viewerOf = (ctx: Ctx): LinkViewer => ({ userId: ctx.userId, memberships: [{ workspaceId: ctx.workspaceId, role: ctx.role }] });

beforeAll(async () => {
  [admin, maya, sam, globexAdmin] = await Promise.all([
    seededCtx("admin@acme.test"), seededCtx("maya@acme.test"), seededCtx("sam@acme.test"), seededCtx("admin@globex.test", "globex"),
  ]);
  const db = await getDb();
  const samsRuns = await db
    .select({ id: executions.id })
    .from(executions)
    .where(and(eq(executions.triggeredBy, sam.userId), eq(executions.status, "completed"), sql`workflow_id is null`))
    .orderBy(desc(executions.createdAt))
    .limit(10);
  const unseen: string[] = [];
  for (const run of samsRuns) if (!(await getVisibleExecution(maya, run.id))) unseen.push(run.id);
  [executionId, otherExecutionId, lockedExecutionId, resharedExecutionId] = unseen as [string, string, string, string];
  expect(resharedExecutionId).toBeDefined();
});

/** A link made without a submission id, so never a repeat: its token is there. */
async function newLink(ctx: Ctx, runId: string, input: Record<string, unknown>) {
  const created = await createShareLink(ctx, runId, input);
  if (!created.ok || created.isRepeat) throw new Error(created.ok ? "A repeat" : created.message);
  return created;
}

async function auditActions(targetId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, targetId)).orderBy(auditLog.id);
  return rows.map((row) => row.action);
}

describe("sharing with members", () => {
  it("shows a view-only share to the grantee, with a notification, and keeps apply from them", async () => {
    expect(await getVisibleExecution(maya, executionId)).toBeNull();
    const shared = await shareWithMembers(sam, executionId, { userIds: [maya.userId], permission: "view", message: "Look at the titles" });
    if (!shared.ok) throw new Error(shared.message);
    const shareId = shared.shared[0]!.shareId;

    const seen = await getVisibleExecution(maya, executionId);
    expect(seen?.id).toBe(executionId);
    expect(await mayApply(maya, seen!)).toBe(false);
    const db = await getDb();
    const [notice] = await db.select().from(notifications).where(eq(notifications.dedupeKey, `share:${shareId}`));
    expect(notice).toMatchObject({ userId: maya.userId, kind: "share", body: "Look at the titles", href: `/executions/${executionId}` });
    // Her open is in the access log the sharer reads; sam's own opens are not shares and log nothing.
    await recordMemberShareOpen(maya, executionId, "192.0.2.7");
    await recordMemberShareOpen(sam, executionId, "192.0.2.8");
    const opened = await getShareOverview(sam, executionId);
    expect(opened.ok && opened.access.filter((a) => a.shareId === shareId)).toEqual([expect.objectContaining({ who: "Maya Marketer", kind: "member", ipAddress: "192.0.2.7" })]);
    expect(opened.ok && opened.access.some((a) => a.ipAddress === "192.0.2.8")).toBe(false);

    // Upgrading keeps one grant, and now maya may apply.
    const upgraded = await changeSharePermission(sam, shareId, "apply");
    expect(upgraded.ok).toBe(true);
    expect(await mayApply(maya, seen!)).toBe(true);
    const again = await shareWithMembers(sam, executionId, { userIds: [maya.userId], permission: "apply", message: "Now apply them" });
    expect(again.ok && again.shared[0]).toMatchObject({ shareId, isNew: false });
    const live = await db.select().from(shares).where(and(eq(shares.executionId, executionId), eq(shares.granteeUserId, maya.userId), sql`revoked_at is null`));
    expect(live).toHaveLength(1);

    const revoked = await revokeShare(sam, shareId);
    expect(revoked).toEqual({ ok: true, wasRevoked: true });
    expect(await getVisibleExecution(maya, executionId)).toBeNull();
    expect(await revokeShare(sam, shareId)).toEqual({ ok: true, wasRevoked: false });
    expect(await auditActions(shareId)).toEqual(["share.created", "share.updated", "share.updated", "share.revoked"]);
  });

  it("audits sharing again with someone only when it changes their grant: the same form sent twice writes one entry", async () => {
    const executionId = resharedExecutionId;
    const form = { userIds: [maya.userId], permission: "view", message: "Have a look" };
    const first = await shareWithMembers(sam, executionId, form);
    const shareId = first.ok ? first.shared[0]!.shareId : "";
    expect(await shareWithMembers(sam, executionId, form)).toEqual({ ok: true, shared: [{ userId: maya.userId, shareId, isNew: false }] });
    expect(await auditActions(shareId)).toEqual(["share.created"]);
    await shareWithMembers(sam, executionId, { ...form, message: "Have another look" });
    await shareWithMembers(sam, executionId, { ...form, message: "Have another look", permission: "apply" });
    await shareWithMembers(sam, executionId, { ...form, message: "Have another look", permission: "apply" });
    expect(await auditActions(shareId)).toEqual(["share.created", "share.updated", "share.updated"]);
    const db = await getDb();
    const [grant] = await db.select().from(shares).where(eq(shares.id, shareId));
    expect(grant).toMatchObject({ permission: "apply", message: "Have another look" });
  });

  it("gives one grant when the same person is shared with twice at the same moment", async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => shareWithMembers(sam, otherExecutionId, { userIds: [maya.userId], permission: "view" })));
    expect(results.every((r) => r.ok)).toBe(true);
    const db = await getDb();
    const live = await db.select().from(shares).where(and(eq(shares.executionId, otherExecutionId), eq(shares.granteeUserId, maya.userId), sql`revoked_at is null`));
    expect(live).toHaveLength(1);
    await revokeShare(sam, live[0]!.id);
  });

  it("refuses people outside the workspace, oversized messages and runs the sharer may not share, changing nothing", async () => {
    const db = await getDb();
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(shares);
    const outsider = await shareWithMembers(sam, executionId, { userIds: [globexAdmin.userId], permission: "view" });
    expect(outsider).toMatchObject({ ok: false, code: "invalid_input", message: "Executions can only be shared with members of this workspace." });
    const longMessage = await shareWithMembers(sam, executionId, { userIds: [maya.userId], permission: "view", message: "x".repeat(1001) });
    expect(longMessage).toMatchObject({ ok: false, code: "invalid_input" });
    expect(longMessage.ok || longMessage.message).toContain("under 1,000 characters");
    // maya cannot see sam's run; globex's admin cannot even tell it exists.
    expect(await shareWithMembers(maya, executionId, { userIds: [sam.userId], permission: "view" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await createShareLink(globexAdmin, executionId, { permission: "view", expiresIn: "7d" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await shareWithMembers(sam, "not-an-id", { userIds: [maya.userId], permission: "view" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await createShareLink(sam, executionId, { permission: "edit", expiresIn: "7d" })).toMatchObject({ ok: false, code: "invalid_input" });
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(shares);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe("share links", () => {
  it("makes tokens of 256 random bits and keeps only their hash", async () => {
    const tokens = new Set(Array.from({ length: 2000 }, newLinkToken));
    expect(tokens.size).toBe(2000);
    for (const token of tokens) expect(Buffer.from(token, "base64url")).toHaveLength(32);
    // Every bit position takes both values across the sample: no constant bits.
    const ones = new Array(256).fill(0);
    for (const token of tokens) Buffer.from(token, "base64url").forEach((byte, i) => { for (let bit = 0; bit < 8; bit++) ones[i * 8 + bit] += (byte >> bit) & 1; });
    expect(Math.min(...ones)).toBeGreaterThan(800);
    expect(Math.max(...ones)).toBeLessThan(1200);

    const created = await newLink(sam, executionId, { permission: "view", expiresIn: "never" });
    const db = await getDb();
    const [row] = await db.select().from(shares).where(eq(shares.id, created.shareId));
    expect(row!.tokenHash).toBe(hashLinkToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(created.path).toBe(`/s/${created.token}`);
  });

  it("makes one link for a form's try sent twice, one after the other or at once, and shows its address only to the first; another person's same id makes their own", async () => {
    const db = await getDb();
    const links = async () => db.select({ id: shares.id, createdBy: shares.createdBy }).from(shares).where(and(eq(shares.executionId, lockedExecutionId), eq(shares.kind, "link")));
    const before = (await links()).length;
    const input = { permission: "view", password: "a password for once", expiresIn: "7d", submissionId: randomUUID() };

    const first = await createShareLink(sam, lockedExecutionId, input);
    if (!first.ok || first.isRepeat) throw new Error(first.ok ? "A repeat" : first.message);
    // Sent again after its answer was lost: the link the first try made, without its address (kept only as a hash).
    const again = await createShareLink(sam, lockedExecutionId, input);
    expect(again).toEqual({ ok: true, shareId: first.shareId, expiresAt: first.expiresAt, token: null, path: null, isRepeat: true });
    expect((await links()).length).toBe(before + 1);
    expect(await auditActions(first.shareId)).toEqual(["share.link_created"]);

    const atOnce = { ...input, submissionId: randomUUID() };
    const both = await Promise.all([createShareLink(sam, lockedExecutionId, atOnce), createShareLink(sam, lockedExecutionId, atOnce)]);
    expect(both.map((answer) => answer.ok && answer.isRepeat).sort()).toEqual([false, true]);
    const shareId = both[0]!.ok ? both[0]!.shareId : null;
    expect(both.map((answer) => answer.ok && answer.shareId)).toEqual([shareId, shareId]);
    expect((await links()).length).toBe(before + 2);
    expect(await auditActions(shareId!)).toEqual(["share.link_created"]);

    // The same id from the workspace's admin is theirs alone: a link of their own.
    const admins = await createShareLink(admin, lockedExecutionId, atOnce);
    expect(admins).toMatchObject({ ok: true, isRepeat: false, path: expect.stringMatching(/^\/s\//) });
    expect((await links()).filter((link) => link.createdBy === admin.userId).map((link) => link.id)).toContain((admins as { shareId: string }).shareId);
  });

  it("opens for anyone with the link, logs each open, and answers gone after revoke or expiry", async () => {
    const created = await newLink(sam, executionId, { permission: "view", message: "For the agency", expiresIn: "7d" });
    const visit = await visitShareLink(created.token, anonymous, "203.0.113.9", undefined);
    if (visit.state !== "open") throw new Error(visit.state);
    // The link's reader sees this one execution, nothing else of the workspace, and may change nothing.
    expect((await getVisibleExecution(visit.ctx, executionId))?.id).toBe(executionId);
    expect(await getVisibleExecution(visit.ctx, otherExecutionId)).toBeNull();
    const listed = await listExecutions(visit.ctx, { filter: emptyFilter, page: { after: null, before: null }, limit: 50 });
    expect(listed.rows.map((r) => r.id)).toEqual([executionId]);
    expect(await mayApply(visit.ctx, (await getVisibleExecution(visit.ctx, executionId))!)).toBe(false);
    // The link's reader can download the run, and the stored file names no one as its maker.
    const exported = await exportExecution(visit.ctx, executionId, { format: "csv" });
    if (!exported.ok) throw new Error(exported.message);
    const csv = await new Response(exported.stream).text();
    expect(csv.split("\r\n").length).toBeGreaterThan(2);
    const db0 = await getDb();
    const [file] = await db0.select({ createdBy: reportFiles.createdBy, workspaceId: reportFiles.workspaceId }).from(reportFiles).where(eq(reportFiles.id, exported.fileId));
    expect(file).toEqual({ createdBy: null, workspaceId: sam.workspaceId });
    expect(await exportExecution(visit.ctx, otherExecutionId, { format: "csv" })).toMatchObject({ ok: false, code: "not_found" });

    const overview = await getShareOverview(sam, executionId);
    if (!overview.ok) throw new Error(overview.message);
    expect(overview.access.find((a) => a.shareId === created.shareId)).toMatchObject({ who: "Someone with the link", ipAddress: "203.0.113.9" });
    expect(overview.links.find((l) => l.id === created.shareId)).toMatchObject({ permission: "view", hasPassword: false, isExpired: false });

    expect(await visitShareLink(created.token.slice(0, -1) + (created.token.endsWith("A") ? "B" : "A"), anonymous, null, undefined)).toEqual({ state: "gone" });
    expect(await visitShareLink("garbage", anonymous, null, undefined)).toEqual({ state: "gone" });

    const db = await getDb();
    await db.update(shares).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(shares.id, created.shareId));
    expect(await visitShareLink(created.token, anonymous, null, undefined)).toEqual({ state: "gone" });
    await db.update(shares).set({ expiresAt: null }).where(eq(shares.id, created.shareId));
    expect((await visitShareLink(created.token, anonymous, null, undefined)).state).toBe("open");
    await revokeShare(sam, created.shareId);
    expect(await visitShareLink(created.token, anonymous, null, undefined)).toEqual({ state: "gone" });
    expect(await auditActions(created.shareId)).toEqual(["share.link_created", "share.revoked"]);
  });

  it("opens a password link for 12 people at one address who give the right password at once", async () => {
    const created = await newLink(sam, executionId, { permission: "view", password: "correct horse", expiresIn: "1d" });
    const answers = await Promise.all(Array.from({ length: 12 }, () => unlockShareLink(created.token, "correct horse", "198.51.100.20")));
    expect(answers.filter((answer) => !answer.ok)).toEqual([]);
    // Wrong passwords sent at once still get no more than 5 checks.
    const wrong = await Promise.all(Array.from({ length: 12 }, (_, n) => unlockShareLink(created.token, `wrong-${n}`, "198.51.100.21")));
    expect(wrong.filter((answer) => !answer.ok && answer.message.startsWith("That password is not right")).length).toBe(4);
    expect(wrong.filter((answer) => !answer.ok && answer.code === "rate_limited").length).toBe(8);
  });

  it("asks for the password, refuses wrong ones, and closes to an address after 5 wrong tries", async () => {
    const created = await newLink(sam, executionId, { permission: "view", password: "correct horse", expiresIn: "1d" });
    expect(await visitShareLink(created.token, anonymous, "198.51.100.1", undefined)).toMatchObject({ state: "needs_password" });

    const right = await unlockShareLink(created.token, "correct horse", "198.51.100.1");
    if (!right.ok) throw new Error(right.message);
    expect(right.cookie.path).toBe(`/s/${created.token}`);
    expect((await visitShareLink(created.token, anonymous, "198.51.100.1", right.cookie.value)).state).toBe("open");
    expect((await visitShareLink(created.token, anonymous, "198.51.100.1", `${Date.now() + 60_000}.forged`)).state).toBe("needs_password");

    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await unlockShareLink(created.token, "wrong", "198.51.100.2")).toMatchObject({ ok: false, code: "invalid_input" });
    }
    expect(await unlockShareLink(created.token, "wrong", "198.51.100.2")).toMatchObject({ ok: false, code: "rate_limited" });
    // Now even the right password is refused from that address, but not from another.
    expect(await unlockShareLink(created.token, "correct horse", "198.51.100.2")).toMatchObject({ ok: false, code: "rate_limited" });
    expect((await unlockShareLink(created.token, "correct horse", "198.51.100.3")).ok).toBe(true);
    // Fifteen minutes later it opens again.
    const db = await getDb();
    await db.update(rateLimitHits).set({ at: sql`at - interval '16 minutes'` }).where(eq(rateLimitHits.key, `share-link:${created.shareId}:198.51.100.2`));
    expect((await unlockShareLink(created.token, "correct horse", "198.51.100.2")).ok).toBe(true);

    // Forty guesses sent at once get no more checks than five in a row: at most four "not right",
    // every other one refused as too many (it used to check 8 to 11 of them).
    const burst = await Promise.all(Array.from({ length: 40 }, () => unlockShareLink(created.token, "wrong", "198.51.100.4")));
    const wrong = burst.filter((answer) => !answer.ok && answer.code === "invalid_input").length;
    expect(wrong).toBeLessThanOrEqual(4);
    expect(burst.filter((answer) => !answer.ok && answer.code === "rate_limited")).toHaveLength(40 - wrong);
    expect(await unlockShareLink(created.token, "correct horse", "198.51.100.4")).toMatchObject({ ok: false, code: "rate_limited" });
    expect(await unlockShareLink(created.token, null, "198.51.100.5")).toEqual({ ok: false, code: "invalid_input", message: "Enter the link's password." });
    await revokeShare(sam, created.shareId);
  });

  it("opens a link whatever form of its accents the password is typed in, and refuses a password of spaces or a message with control characters", async () => {
    const created = await newLink(sam, executionId, { permission: "view", password: "Cafe\u0301 au lait", expiresIn: "1d" });
    expect((await unlockShareLink(created.token, "Caf\u00e9 au lait", "198.51.100.20")).ok).toBe(true);
    expect((await unlockShareLink(created.token, "Cafe\u0301 au lait", "198.51.100.20")).ok).toBe(true);
    expect(await createShareLink(sam, executionId, { permission: "view", password: "        ", expiresIn: "1d" })).toEqual({ ok: false, code: "invalid_input", message: "password: A link password cannot be only spaces." });
    expect(await createShareLink(sam, executionId, { permission: "view", message: "Look\u0000here", expiresIn: "1d" })).toEqual({ ok: false, code: "invalid_input", message: "message: The message holds control characters that cannot be stored; remove them and try again." });
    await revokeShare(sam, created.shareId);
  });

  it("asks a member for a link's password before taking it into Runlog, and grants nothing without it", async () => {
    const created = await newLink(sam, lockedExecutionId, { permission: "apply", password: "correct horse", expiresIn: "1d" });
    // The link asks maya, who cannot see the run, for its password and offers nothing else.
    expect(await visitShareLink(created.token, viewerOf(maya), "198.51.100.9", undefined)).toMatchObject({ state: "needs_password", canOpenInRunlog: false });
    expect(await visitShareLink(created.token, anonymous, "198.51.100.9", undefined)).toMatchObject({ state: "needs_password", canOpenInRunlog: false });
    expect(await visitShareLink(created.token, viewerOf(globexAdmin), "198.51.100.9", undefined)).toMatchObject({ state: "needs_password", canOpenInRunlog: false });
    expect(await claimShareLink(maya, created.token, undefined)).toEqual({ ok: false, code: "unauthorized", message: "Open the link and enter its password first." });
    expect(await claimShareLink(maya, created.token, `${Date.now() + 60_000}.forged`)).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await getVisibleExecution(maya, lockedExecutionId)).toBeNull();
    expect(await auditActions(created.shareId)).toEqual(["share.link_created"]);

    const unlocked = await unlockShareLink(created.token, "correct horse", "198.51.100.9");
    if (!unlocked.ok) throw new Error(unlocked.message);
    expect(await claimShareLink(maya, created.token, unlocked.cookie.value)).toEqual({ ok: true, executionId: lockedExecutionId, workspaceId: maya.workspaceId });
    const seen = await getVisibleExecution(maya, lockedExecutionId);
    expect(seen && (await mayApply(maya, seen))).toBe(true);
    // A member who may see the run anyway (its admin) is offered it in Runlog on the password
    // page, goes to it without the password, and gains nothing.
    expect(await visitShareLink(created.token, viewerOf(admin), "198.51.100.9", undefined)).toMatchObject({ state: "needs_password", canOpenInRunlog: true });
    expect(await claimShareLink(admin, created.token, undefined)).toEqual({ ok: true, executionId: lockedExecutionId, workspaceId: admin.workspaceId });
    await revokeShare(sam, created.shareId);
  });

  it("ends what a member took from a link when the link is revoked, and gives it the link's expiry", async () => {
    const created = await newLink(sam, executionId, { permission: "apply", expiresIn: "1d" });
    expect(await getVisibleExecution(maya, executionId)).toBeNull();
    expect(await claimShareLink(maya, created.token, undefined)).toEqual({ ok: true, executionId, workspaceId: maya.workspaceId });
    const seen = await getVisibleExecution(maya, executionId);
    expect(seen && (await mayApply(maya, seen))).toBe(true);
    const db = await getDb();
    const [link] = await db.select({ expiresAt: shares.expiresAt }).from(shares).where(eq(shares.id, created.shareId));
    const [taken] = await db.select({ expiresAt: shares.expiresAt }).from(shares).where(and(eq(shares.viaLinkId, created.shareId), isNull(shares.revokedAt)));
    expect(taken?.expiresAt).toEqual(link!.expiresAt);

    expect(await revokeShare(sam, created.shareId)).toEqual({ ok: true, wasRevoked: true });
    expect(await getVisibleExecution(maya, executionId)).toBeNull();
  });

  it("sends a link's visitor no workspace or people's ids with its recommendations", async () => {
    const db = await getDb();
    const [withRecs] = await db
      .select({ id: executions.id })
      .from(executions)
      .where(and(eq(executions.triggeredBy, sam.userId), eq(executions.status, "completed"), sql`exists (select 1 from recommendations r where r.execution_id = ${executions.id})`))
      .limit(1);
    await db.update(recommendations).set({ status: "approved", decidedBy: sam.userId, decidedAt: sql`now()` }).where(eq(recommendations.executionId, withRecs!.id));
    const created = await newLink(sam, withRecs!.id, { permission: "view", expiresIn: "1d" });
    const visit = await visitShareLink(created.token, anonymous, "10.0.0.7", undefined);
    if (visit.state !== "open") throw new Error(visit.state);
    const execution = await getVisibleExecution(visit.ctx, withRecs!.id);
    const content = await loadExecutionContent(visit.ctx, execution!, { tab: "recommendations" });
    expect(content.recommendations!.page.rows.length).toBeGreaterThan(0);
    const sent = JSON.stringify(content.recommendations);
    expect(sent).not.toContain(sam.workspaceId);
    expect(sent).not.toContain(sam.userId);
    await revokeShare(sam, created.shareId);
  });

  it("lets a member whose other workspace is current take a link there, into the link's workspace", async () => {
    const created = await newLink(sam, executionId, { permission: "view", expiresIn: "1d" });
    const mayaInGlobex = await seededCtx("maya@acme.test", "globex");
    const memberships = [{ workspaceId: mayaInGlobex.workspaceId, role: mayaInGlobex.role }, { workspaceId: maya.workspaceId, role: maya.role }];
    expect(await claimShareLink({ ...mayaInGlobex, memberships }, created.token, undefined)).toEqual({ ok: true, executionId, workspaceId: maya.workspaceId });
    expect(await getVisibleExecution(maya, executionId)).not.toBeNull();
    // Someone in Globex only is still an outsider.
    expect(await claimShareLink({ ...globexAdmin, memberships: [{ workspaceId: globexAdmin.workspaceId, role: globexAdmin.role }] }, created.token, undefined)).toMatchObject({ ok: false, code: "not_found" });
    await revokeShare(sam, created.shareId);
  });

  it("lets a signed-in member take an apply link into Runlog, and shows other workspaces only what anyone would see", async () => {
    const created = await newLink(sam, executionId, { permission: "apply", expiresIn: "30d" });
    const asMaya = await visitShareLink(created.token, viewerOf(maya), "10.0.0.1", undefined);
    expect(asMaya).toMatchObject({ state: "open", isMember: true });
    expect(await getVisibleExecution(maya, executionId)).toBeNull();
    expect(await claimShareLink(maya, created.token, undefined)).toEqual({ ok: true, executionId, workspaceId: maya.workspaceId });
    const seen = await getVisibleExecution(maya, executionId);
    expect(seen && (await mayApply(maya, seen))).toBe(true);
    // Globex's admin, signed in, is an outsider here: read-only like anyone, and cannot claim.
    expect(await visitShareLink(created.token, viewerOf(globexAdmin), "10.0.0.2", undefined)).toMatchObject({ state: "open", isMember: false });
    expect(await claimShareLink(globexAdmin, created.token, undefined)).toMatchObject({ ok: false, code: "not_found" });

    // With outside links turned off, only signed-in members get in.
    expect(await setExternalLinksAllowed(maya, false)).toMatchObject({ ok: false, code: "forbidden" });
    expect((await setExternalLinksAllowed(admin, false)).ok).toBe(true);
    try {
      expect(await visitShareLink(created.token, anonymous, null, undefined)).toEqual({ state: "members_only", isSignedIn: false });
      expect(await visitShareLink(created.token, viewerOf(globexAdmin), null, undefined)).toEqual({ state: "members_only", isSignedIn: true });
      expect((await visitShareLink(created.token, viewerOf(maya), null, undefined)).state).toBe("open");
    } finally {
      await setExternalLinksAllowed(admin, true);
    }
    const db = await getDb();
    const [workspace] = await db.select({ allow: workspaces.allowExternalLinks }).from(workspaces).where(eq(workspaces.id, admin.workspaceId));
    expect(workspace!.allow).toBe(true);
  });
});
