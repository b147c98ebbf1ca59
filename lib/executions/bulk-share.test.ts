import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, notifications, shares } from "@/db/schema";
import { createFreshWorkspace, insertExecution, type FreshPerson } from "@/db/testing/fresh-workspace";
import { grantMemberSharesInBulk } from "@/lib/shares/grants";
import { planBulkAction, runBulkBatch, runBulkJob, startBulkAction } from "./bulk-by-filter";
import { listExecutions } from "./list";
import { parseListRequest } from "./list-filter";

let admin: FreshPerson;
let sam: FreshPerson;
let ana: FreshPerson;
let li: FreshPerson;
let outsider: FreshPerson;
let samsRuns: string[];
const query = "?agent=analytics-review";

/** `count` finished analytics reviews started by `by`, a minute apart. */
async function insertReviews(by: FreshPerson, count: number, offsetMinutes: number): Promise<string[]> {
  const db = await getDb();
  const made: unknown = await db.execute(sql`
    insert into executions (workspace_id, agent_id, agent_version, status, settings, scope, items_total, credits_reserved, credits_charged, triggered_by, created_at, started_at, finished_at, preview)
    select ${by.workspaceId}::uuid, 'analytics-review', '1.0.0', 'completed', '{}'::jsonb, '{"mode":"all","maxItems":10}'::jsonb, 10, 5, 5, ${by.userId}::uuid,
      now() - (n + ${offsetMinutes}) * interval '1 minute', now() - (n + ${offsetMinutes}) * interval '1 minute', now() - (n + ${offsetMinutes}) * interval '1 minute' + interval '5 seconds', 'Done'
    from generate_series(1, ${count}) n returning id`);
  return ((Array.isArray(made) ? made : (made as { rows: unknown[] }).rows) as { id: string }[]).map((row) => row.id);
}

async function liveSharesWith(person: FreshPerson) {
  const db = await getDb();
  return db.select({ executionId: shares.executionId, permission: shares.permission }).from(shares)
    .where(and(eq(shares.granteeUserId, person.userId), eq(shares.kind, "member"), isNull(shares.revokedAt)));
}

beforeAll(async () => {
  const fresh = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "sam", role: "member" }, { key: "ana", role: "member" }, { key: "li", role: "member" }]);
  ({ admin, sam, ana, li } = fresh.people as { admin: FreshPerson; sam: FreshPerson; ana: FreshPerson; li: FreshPerson });
  outsider = (await createFreshWorkspace([{ key: "outsider", role: "member" }])).people.outsider!;
  samsRuns = await insertReviews(sam, 30, 0);
  // Twenty reviews the admin started and shared with Sam: Sam sees them but may not share them.
  const adminsRuns = await insertReviews(admin, 20, 100);
  const db = await getDb();
  await db.insert(shares).values(adminsRuns.map((executionId) => ({ workspaceId: admin.workspaceId, executionId, kind: "member" as const, granteeUserId: sam.userId, permission: "view" as const, createdBy: admin.userId })));
  // One of Sam's runs is already shared with Ana, who may apply its recommendations.
  await db.insert(shares).values({ workspaceId: sam.workspaceId, executionId: samsRuns[0]!, kind: "member", granteeUserId: ana.userId, permission: "apply", createdBy: sam.userId });
});

describe("sharing every run a filter matches with members", () => {
  it("counts only the runs the person may share, and names whom with and how in the confirm", async () => {
    const planned = await planBulkAction(sam, { action: "share", query, share: { userIds: [ana.userId, li.userId], permission: "view" } });
    if (!planned.ok) throw new Error(planned.message);
    const names = `ana ${ana.email.slice(4, 12)} and li ${li.email.slice(3, 11)}`;
    expect(planned.plan).toMatchObject({ matching: 50, acting: 30, skipped: 20, share: { userIds: [ana.userId, li.userId], permission: "view" } });
    expect(planned.plan.sentence).toBe(`Share 30 runs of Analytics review with ${names} (view only); runs already shared with them stay as they are; 20 runs someone else started are left alone.`);
    // Before anyone is chosen, the plan counts the same runs; an admin may share all of them.
    expect(await planBulkAction(sam, { action: "share", query })).toMatchObject({ ok: true, plan: { acting: 30, share: null, sentence: "Share 30 runs of Analytics review with the members you choose; 20 runs someone else started are left alone." } });
    expect(await planBulkAction(admin, { action: "share", query, share: { userIds: [ana.userId], permission: "apply" } })).toMatchObject({ ok: true, plan: { acting: 50, skipped: 0 } });
  });

  it("refuses to share with the person themself, with someone outside the workspace, or with nobody", async () => {
    expect(await planBulkAction(sam, { action: "share", query, share: { userIds: [sam.userId], permission: "view" } })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await planBulkAction(sam, { action: "share", query, share: { userIds: [outsider.userId], permission: "view" } })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("members of this workspace") });
    expect(await planBulkAction(sam, { action: "share", query, share: { userIds: [], permission: "view" } })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await startBulkAction(sam, { action: "share", query, expected: 30 })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("Choose at least one person") });
  });

  it("shares in batches, changes nothing already shared, tells each member once, is audited once, and the members then see the runs", async () => {
    const db = await getDb();
    const started = await startBulkAction(sam, { action: "share", query, expected: 30, share: { userIds: [ana.userId, li.userId], permission: "view" } });
    if (!started.ok) throw new Error(started.message);
    const first = await runBulkBatch(started.job.id, 10);
    expect(first.job).toMatchObject({ status: "running", done: 10, skipped: 0 });
    // Doing a committed batch's grants again gives nobody anything new.
    const firstTen = (await liveSharesWith(li)).map((share) => share.executionId);
    expect(firstTen).toHaveLength(10);
    expect(await db.transaction((tx) => grantMemberSharesInBulk(tx, { workspaceId: sam.workspaceId, executionIds: firstTen, userIds: [ana.userId, li.userId], permission: "view", createdBy: sam.userId }))).toEqual({});

    const finished = await runBulkJob(started.job.id, { batchSize: 10 });
    expect(finished).toMatchObject({ status: "finished", done: 30, skipped: 20, share: { newlySharedWith: { [ana.userId]: 29, [li.userId]: 30 } } });
    expect(await runBulkJob(started.job.id)).toMatchObject({ status: "finished", done: 30 });

    const anas = await liveSharesWith(ana);
    expect(anas).toHaveLength(30);
    expect(anas.find((share) => share.executionId === samsRuns[0])!.permission).toBe("apply");
    expect((await liveSharesWith(li)).map((share) => share.executionId).sort()).toEqual([...samsRuns].sort());

    const told = await db.select({ userId: notifications.userId, title: notifications.title, href: notifications.href }).from(notifications)
      .where(and(eq(notifications.workspaceId, sam.workspaceId), eq(notifications.kind, "share")));
    expect(told.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
      { userId: ana.userId, title: expect.stringMatching(/ shared 29 runs with you$/), href: "/shared" },
      { userId: li.userId, title: expect.stringMatching(/ shared 30 runs with you$/), href: "/shared" },
    ].sort((a, b) => a.userId.localeCompare(b.userId)));

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, sam.workspaceId), inArray(auditLog.action, ["execution.bulk_shared", "share.created", "share.updated"])));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "execution.bulk_shared", actorUserId: sam.userId, data: { count: 30, skipped: 20, filter: "Analytics review", permission: "view", newlyShared: 59, query } });

    const request = parseListRequest(new URLSearchParams(query));
    if (!request.ok) throw new Error(request.message);
    const seen = await listExecutions(li, { ...request, limit: 100 });
    expect(seen.rows.map((row) => row.id).sort()).toEqual([...samsRuns].sort());
  });

  it("a second share of the same runs changes nothing and tells nobody", async () => {
    const db = await getDb();
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(shares).where(eq(shares.workspaceId, sam.workspaceId));
    const started = await startBulkAction(sam, { action: "share", query, expected: 30, share: { userIds: [li.userId], permission: "view" } });
    if (!started.ok) throw new Error(started.message);
    expect(await runBulkJob(started.job.id)).toMatchObject({ status: "finished", done: 30, share: { newlySharedWith: {} } });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(shares).where(eq(shares.workspaceId, sam.workspaceId))).toEqual(before);
    const told = await db.select().from(notifications).where(and(eq(notifications.userId, li.userId), eq(notifications.kind, "share")));
    expect(told).toHaveLength(1);
  });

  it("does not share a run with the person who started it", async () => {
    const own = await insertExecution(ana, { agentId: "performance-audit" });
    const started = await startBulkAction(admin, { action: "share", query: "?agent=performance-audit", expected: 1, share: { userIds: [ana.userId], permission: "view" } });
    if (!started.ok) throw new Error(started.message);
    expect(await runBulkJob(started.job.id)).toMatchObject({ status: "finished", done: 1, share: { newlySharedWith: {} } });
    expect((await liveSharesWith(ana)).some((share) => share.executionId === own.id)).toBe(false);
  });
});
