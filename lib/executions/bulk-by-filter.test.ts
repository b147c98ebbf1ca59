import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, creditLedger, executions } from "@/db/schema";
import { createFreshWorkspace, insertExecution, type FreshPerson } from "@/db/testing/fresh-workspace";
import { planBulkAction, runBulkBatch, runBulkJob, startBulkAction } from "./bulk-by-filter";
import { indexRunsForSearch } from "./search";

let admin: FreshPerson;
let member: FreshPerson;
const runCount = 300;

/** `runCount` failed SEO audits of the admin, each with items, log, results, a recommendation, a share and ledger rows. */
async function seedFailedAudits(): Promise<string[]> {
  const db = await getDb();
  const made = await db.execute(sql`
    insert into executions (workspace_id, agent_id, agent_version, status, settings, scope, items_total, credits_reserved, credits_charged, credits_refunded, triggered_by, created_at, started_at, finished_at, preview)
    select ${admin.workspaceId}::uuid, 'seo-audit', '1.4.0', 'failed', '{}'::jsonb, '{"mode":"all","maxItems":10}'::jsonb, 10, 20, 0, 20, ${admin.userId}::uuid,
      now() - n * interval '1 minute', now() - n * interval '1 minute', now() - n * interval '1 minute' + interval '5 seconds', 'Failed: timeout'
    from generate_series(1, ${runCount}) n returning id`);
  const ids = (Array.isArray(made) ? made : (made as { rows: { id: string }[] }).rows).map((row: { id: string }) => row.id);
  const listed = sql`(select id from executions where workspace_id = ${admin.workspaceId}::uuid and status = 'failed')`;
  await db.execute(sql`insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, reason) select id, workspace_id, 'page', 'page:1', 'Home', 'failed', 'Timed out' from executions where id in ${listed}`);
  await db.execute(sql`insert into execution_logs (execution_id, workspace_id, seq, step, message, level) select id, workspace_id, 1, 'batch 1/1', 'The store stopped answering the lanternfish page', 'error' from executions where id in ${listed}`);
  await db.execute(sql`insert into execution_results (execution_id, workspace_id, kind, title, payload) select id, workspace_id, 'report', 'Summary', '{"summary":"Nothing done"}'::jsonb from executions where id in ${listed}`);
  await db.execute(sql`insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, after_value, priority, rationale) select id, workspace_id, 'page', 'page:1', 'Home', 'title', 'Home page', 'high', 'Too short' from executions where id in ${listed}`);
  await db.execute(sql`insert into action_items (execution_id, workspace_id, position, priority, title, detail) select id, workspace_id, 0, 'low', 'Retry', 'Later' from executions where id in ${listed}`);
  await db.execute(sql`insert into shares (workspace_id, execution_id, kind, grantee_user_id, permission, created_by) select workspace_id, id, 'member', ${member.userId}::uuid, 'view', ${admin.userId}::uuid from executions where id in ${listed}`);
  await db.execute(sql`insert into share_access_log (share_id, workspace_id, execution_id, user_id) select s.id, s.workspace_id, s.execution_id, ${member.userId}::uuid from shares s where s.execution_id in ${listed}`);
  await db.execute(sql`insert into credit_ledger (workspace_id, kind, amount, balance_after, idempotency_key, execution_id, agent_id, user_id)
    select workspace_id, k.kind::ledger_kind, case when k.kind = 'reserve' then -20 else 20 end, 1000, k.kind || ':' || id, id, 'seo-audit', ${admin.userId}::uuid
    from executions cross join (values ('reserve'), ('refund')) as k(kind) where id in ${listed}`);
  await indexRunsForSearch(db, sql`e.workspace_id = ${admin.workspaceId}::uuid`);
  return ids;
}

beforeAll(async () => {
  const fresh = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
  ({ admin, member } = fresh.people as { admin: FreshPerson; member: FreshPerson });
});

describe("bulk actions on everything a filter matches", () => {
  it("deletes every matching run in batches: no residue, the ledger kept, one audit entry, and a run that started meanwhile kept", async () => {
    const ids = await seedFailedAudits();
    const queued = await insertExecution(admin, { status: "queued", agentId: "seo-audit" });
    const otherAgent = await insertExecution(admin, { status: "failed", agentId: "analytics-review" });
    const query = "?agent=seo-audit&q=lanternfish";
    const planned = await planBulkAction(admin, { action: "delete", query });
    if (!planned.ok) throw new Error(planned.message);
    expect(planned.plan).toMatchObject({ matching: runCount, acting: runCount, skipped: 0 });
    expect(planned.plan.sentence).toBe(`Delete ${runCount} runs of SEO audit · “lanternfish”; no credits are refunded.`);
    expect((await planBulkAction(admin, { action: "delete", query: "?agent=seo-audit" })).ok && (await planBulkAction(admin, { action: "delete", query: "?agent=seo-audit" }))).toMatchObject({
      plan: { matching: runCount + 1, acting: runCount, sentence: `Delete ${runCount} runs of SEO audit; no credits are refunded; 1 queued or running run is left alone.` },
    });

    expect(await startBulkAction(admin, { action: "delete", query, expected: runCount - 1 })).toMatchObject({ ok: false, code: "conflict" });
    // The same confirm sent twice at once (two tabs): one job, and the other hears it is under way.
    const both = await Promise.all([startBulkAction(admin, { action: "delete", query, expected: runCount }), startBulkAction(admin, { action: "delete", query, expected: runCount })]);
    const started = both.find((answer) => answer.ok);
    if (!started?.ok) throw new Error("no job started");
    expect(both.filter((answer) => !answer.ok)).toEqual([{ ok: false, code: "conflict", message: "You are already running this delete of SEO audit · “lanternfish”; its progress shows where you started it." }]);
    const db = await getDb();
    const ledgerBefore = await db.select({ n: sql<number>`count(*)::int`, sum: sql<number>`sum(amount)::int` }).from(creditLedger).where(eq(creditLedger.workspaceId, admin.workspaceId));

    // The first batch, then one of the runs still to come starts running again before its batch.
    const first = await runBulkBatch(started.job.id, 100);
    expect(first.job).toMatchObject({ status: "running", done: 100 });
    const restarted = ids[ids.length - 1]!;
    await db.update(executions).set({ status: "running" }).where(eq(executions.id, restarted));
    // Resumes where it stopped (any caller may), and a second call after the end changes nothing.
    const finished = await runBulkJob(started.job.id, { batchSize: 100 });
    expect(finished).toMatchObject({ status: "finished", done: runCount - 1, skipped: 1 });
    expect(await runBulkJob(started.job.id)).toMatchObject({ status: "finished", done: runCount - 1 });

    const left = await db.select({ id: executions.id }).from(executions).where(eq(executions.workspaceId, admin.workspaceId));
    expect(left.map((row) => row.id).sort()).toEqual([restarted, queued.id, otherAgent.id].sort());
    const gone = ids.filter((id) => id !== restarted);
    for (const table of ["execution_items", "execution_logs", "execution_results", "recommendations", "action_items", "shares", "share_access_log", "execution_search"]) {
      const rows = await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where execution_id in (${sql.join(gone.map((id) => sql`${id}::uuid`), sql`, `)})`);
      const [row] = (Array.isArray(rows) ? rows : (rows as { rows: { n: number }[] }).rows) as { n: number }[];
      expect(row!.n, table).toBe(0);
    }
    const ledgerAfter = await db.select({ n: sql<number>`count(*)::int`, sum: sql<number>`sum(amount)::int` }).from(creditLedger).where(eq(creditLedger.workspaceId, admin.workspaceId));
    expect(ledgerAfter).toEqual(ledgerBefore);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, admin.workspaceId), inArray(auditLog.action, ["execution.bulk_deleted", "execution.deleted"])));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: "execution.bulk_deleted", actorUserId: admin.userId, data: { count: runCount - 1, skipped: 1, filter: "SEO audit · “lanternfish”", query } });
  });

  it("lets a member act only on runs they started, and refuses bad input with a sentence", async () => {
    const own = await insertExecution(member, { status: "completed" });
    const shared = await insertExecution(admin, { status: "completed" });
    const db = await getDb();
    await db.execute(sql`insert into shares (workspace_id, execution_id, kind, grantee_user_id, permission, created_by) values (${admin.workspaceId}::uuid, ${shared.id}::uuid, 'member', ${member.userId}::uuid, 'view', ${admin.userId}::uuid)`);
    const planned = await planBulkAction(member, { action: "delete", query: "?status=completed" });
    expect(planned).toMatchObject({ ok: true, plan: { matching: 2, acting: 1, skipped: 1 } });
    const started = await startBulkAction(member, { action: "delete", query: "?status=completed", expected: 1 });
    if (!started.ok) throw new Error(started.message);
    await runBulkJob(started.job.id);
    const left = await db.select({ id: executions.id }).from(executions).where(inArray(executions.id, [own.id, shared.id]));
    expect(left.map((row) => row.id)).toEqual([shared.id]);
    expect(await planBulkAction(member, { action: "explode", query: "" })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("delete, cancel or share") });
    expect(await planBulkAction(member, { action: "delete", query: "?status=nope" })).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("cancels every matching queued run, refunding them", async () => {
    const queued = await insertExecution(admin, { status: "queued", agentId: "performance-audit", creditsReserved: 30, creditsCharged: 0 });
    const planned = await planBulkAction(admin, { action: "cancel", query: "?agent=performance-audit" });
    expect(planned).toMatchObject({ ok: true, plan: { acting: 1 } });
    const started = await startBulkAction(admin, { action: "cancel", query: "?agent=performance-audit", expected: 1 });
    if (!started.ok) throw new Error(started.message);
    expect(await runBulkJob(started.job.id)).toMatchObject({ status: "finished", done: 1 });
    const db = await getDb();
    const [row] = await db.select({ status: executions.status }).from(executions).where(eq(executions.id, queued.id));
    expect(row!.status).toBe("canceled");
  });
});
