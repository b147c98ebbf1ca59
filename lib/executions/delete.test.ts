import { and, asc, count, eq, exists, inArray, isNull, ne, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import {
  actionItems, auditLog, creditAccounts, creditLedger, executionItems, executions, notifications,
  recommendations, reportFileChunks, reportFiles, shareAccessLog, shares, type Execution,
} from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { cancelExecutions } from "./bulk-cancel";
import { deleteExecutions } from "./delete";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let lee: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, sam, lee, globexAdmin } = await seededPeople()));

/** Seeded executions matching `where`, oldest first so tests pick stable, distinct rows. */
async function seeded(where: SQL, limit = 1): Promise<Execution[]> {
  const db = await getDb();
  const rows = await db.select().from(executions).where(where).orderBy(asc(executions.createdAt), asc(executions.id)).limit(limit);
  expect(rows, "the seed has what this test needs").toHaveLength(limit);
  return rows;
}

const finishedRunOf = (ctx: Ctx) => and(eq(executions.workspaceId, ctx.workspaceId), eq(executions.triggeredBy, ctx.userId), eq(executions.status, "completed"), isNull(executions.archivedAt))!;

const notFound = { ok: false, code: "not_found", message: "Execution not found: it may have been deleted, or belong to a workspace you are not in." };

async function isPresent(id: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ id: executions.id }).from(executions).where(eq(executions.id, id));
  return row !== undefined;
}

async function balance(workspaceId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.workspaceId, workspaceId));
  return row!.balance;
}

async function ledgerSum(workspaceId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ sum: sql<string>`coalesce(sum(${creditLedger.amount}), 0)` }).from(creditLedger).where(eq(creditLedger.workspaceId, workspaceId));
  return Number(row!.sum);
}

async function deletionAudits(executionId: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.action, "execution.deleted"), eq(auditLog.targetId, executionId)));
}

/** db.execute answers `{ rows }` on PGlite and an array on postgres.js. */
function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? result) as T[];
}

/**
 * Rows naming this execution in every table of the database that has an `execution_id`
 * column, found from the live catalog so a table added later is checked too.
 */
async function rowsNaming(executionId: string): Promise<Record<string, number>> {
  const db = await getDb();
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'execution_id' order by table_name`),
  );
  expect(tables.length).toBeGreaterThanOrEqual(10);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = rowsOf<{ n: string | number }>(await db.execute(sql`select count(*) as n from ${sql.identifier(table_name)} where execution_id = ${executionId}`));
    counts[table_name] = Number(row!.n);
  }
  return counts;
}

describe("deleting an execution", () => {
  it("relies on foreign keys that remove what a run produced and keep the credit ledger", async () => {
    const db = await getDb();
    const rules = rowsOf<{ table_name: string; column_name: string; on_delete: string }>(
      await db.execute(sql`
        select c.conrelid::regclass::text as table_name, a.attname as column_name, c.confdeltype as on_delete
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
        where c.contype = 'f' and c.confrelid = 'executions'::regclass
        order by 1, 2`),
    ).map((r) => `${r.table_name.replace(/^"|"$/g, "")}.${r.column_name}:${r.on_delete}`);
    // c = cascade, n = set null (an apply job keeps its record, and says its run was deleted). The
    // ledger, archive and share access log carry execution_id without a key.
    expect(rules).toEqual([
      "action_items.execution_id:c",
      "bulk_jobs.execution_id:n",
      "execution_items.execution_id:c",
      "execution_logs.execution_id:c",
      "execution_results.execution_id:c",
      "execution_search.execution_id:c",
      "executions.rerun_of:n",
      "notifications.execution_id:n",
      "recommendations.execution_id:c",
      "report_files.execution_id:c",
      "shares.execution_id:c",
    ]);
  });

  it("removes the run and everything it produced, keeps its credit rows and the balance, and audits who deleted it", async () => {
    const db = await getDb();
    const [run] = await seeded(
      and(
        finishedRunOf(admin),
        exists(db.select({ n: sql`1` }).from(recommendations).where(eq(recommendations.executionId, executions.id))),
        exists(db.select({ n: sql`1` }).from(actionItems).where(eq(actionItems.executionId, executions.id))),
      )!,
    );
    const id = run!.id;
    // What the seed does not make for every run: a share link that someone opened, a generated report and a notification.
    const [share] = await db
      .insert(shares)
      .values({ workspaceId: admin.workspaceId, executionId: id, kind: "link", tokenHash: `test-token-${id}`, createdBy: admin.userId })
      .returning();
    await db.insert(shareAccessLog).values({ shareId: share!.id, workspaceId: admin.workspaceId, executionId: id, ipAddress: "203.0.113.7" });
    const [file] = await db
      .insert(reportFiles)
      .values({
        workspaceId: admin.workspaceId, executionId: id, format: "csv", part: "recommendations", fileName: "report.csv", contentType: "text/csv",
        sizeBytes: 3, createdBy: admin.userId, expiresAt: new Date(Date.now() + 86_400_000), completedAt: new Date(),
      })
      .returning();
    await db.insert(reportFileChunks).values({ fileId: file!.id, seq: 0, textContent: "a,b" });
    const [notice] = await db
      .insert(notifications)
      .values({ workspaceId: admin.workspaceId, userId: admin.userId, kind: "completion", title: "Run finished", body: "Your run finished.", executionId: id, dedupeKey: `test:${id}` })
      .returning();

    const before = await rowsNaming(id);
    for (const table of ["execution_items", "execution_logs", "execution_results", "recommendations", "action_items", "shares", "share_access_log", "report_files", "notifications", "credit_ledger"]) {
      expect(before[table], `${table} before`).toBeGreaterThan(0);
    }
    const balanceBefore = await balance(admin.workspaceId);

    const outcome = await deleteExecutions(admin, [id]);

    expect(outcome).toEqual({ ok: true, deleted: [id], alreadyGone: [] });
    expect(await isPresent(id)).toBe(false);
    const after = await rowsNaming(id);
    expect(after).toEqual({ ...Object.fromEntries(Object.keys(before).map((t) => [t, 0])), credit_ledger: before.credit_ledger });
    expect(await db.select().from(reportFileChunks).where(eq(reportFileChunks.fileId, file!.id))).toEqual([]);
    const [notified] = await db.select().from(notifications).where(eq(notifications.id, notice!.id));
    expect(notified).toMatchObject({ title: "Run finished", executionId: null });

    expect(await balance(admin.workspaceId)).toBe(balanceBefore);
    expect(await ledgerSum(admin.workspaceId)).toBe(balanceBefore);
    const ledger = await db.select({ amount: creditLedger.amount }).from(creditLedger).where(eq(creditLedger.executionId, id));
    expect(-ledger.reduce((sum, row) => sum + row.amount, 0)).toBe(run!.creditsCharged);

    const audits = await deletionAudits(id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      workspaceId: admin.workspaceId, actorUserId: admin.userId, targetType: "execution",
      data: { agentId: run!.agentId, status: "completed", startedBy: admin.userId, creditsCharged: run!.creditsCharged },
    });
  });

  it("answers not found when the same run is deleted twice, and audits it once", async () => {
    const [run] = await seeded(finishedRunOf(lee));
    expect(await deleteExecutions(lee, [run!.id])).toEqual({ ok: true, deleted: [run!.id], alreadyGone: [] });
    expect(await deleteExecutions(lee, [run!.id])).toEqual(notFound);
    expect(await deletionAudits(run!.id)).toHaveLength(1);
  });

  it("lets a member delete several of their own runs at once", async () => {
    const runs = await seeded(and(eq(executions.workspaceId, maya.workspaceId), eq(executions.triggeredBy, maya.userId), inArray(executions.status, ["completed", "failed", "partial", "canceled"]), isNull(executions.archivedAt))!, 4);
    const ids = runs.map((r) => r.id);
    const outcome = await deleteExecutions(maya, ids);
    expect(outcome).toEqual({ ok: true, deleted: ids, alreadyGone: [] });
    for (const id of ids) {
      expect(await isPresent(id)).toBe(false);
      expect(await deletionAudits(id)).toHaveLength(1);
    }
  });

  it("refuses a member deleting a run an admin shared with them, and changes nothing", async () => {
    const db = await getDb();
    const [shared] = await seeded(finishedRunOf(admin));
    await db.insert(shares).values({ workspaceId: admin.workspaceId, executionId: shared!.id, kind: "member", granteeUserId: sam.userId, createdBy: admin.userId });
    const [own] = await seeded(finishedRunOf(sam));
    const itemsBefore = await db.select({ n: count() }).from(executionItems).where(eq(executionItems.executionId, shared!.id));

    const single = await deleteExecutions(sam, [shared!.id]);
    expect(single).toEqual({ ok: false, code: "forbidden", message: "You can delete only runs you started; ask an admin to delete this run." });
    const mixed = await deleteExecutions(sam, [own!.id, shared!.id]);
    expect(mixed).toMatchObject({ ok: false, code: "forbidden" });
    expect(!mixed.ok && mixed.message).toMatch(/^You can delete only runs you started; ask an admin to delete/);

    expect(await isPresent(shared!.id)).toBe(true);
    expect(await isPresent(own!.id)).toBe(true);
    expect(await db.select({ n: count() }).from(executionItems).where(eq(executionItems.executionId, shared!.id))).toEqual(itemsBefore);
    expect(await deletionAudits(own!.id)).toHaveLength(0);
  });

  it("answers a run the member cannot see exactly as a missing one, without deleting it", async () => {
    const db = await getDb();
    const [others] = await seeded(and(finishedRunOf(lee), isNull(executions.workflowId), sql`not ${exists(db.select({ n: sql`1` }).from(shares).where(eq(shares.executionId, executions.id)))}`)!);
    expect(await deleteExecutions(sam, [others!.id])).toEqual(notFound);
    expect(await isPresent(others!.id)).toBe(true);
  });

  it("answers another workspace's run exactly as one that never existed (not found), leaving the foreign run in place", async () => {
    const [foreign] = await seeded(finishedRunOf(globexAdmin));
    const unknown = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
    expect(await deleteExecutions(admin, [unknown])).toEqual(notFound);
    expect(await deleteExecutions(admin, [foreign!.id])).toEqual(notFound);
    expect(await deleteExecutions(admin, [foreign!.id, unknown])).toMatchObject({ ok: false, code: "not_found" });
    const [own] = await seeded(finishedRunOf(admin));
    expect(await deleteExecutions(admin, [own!.id, foreign!.id])).toEqual({ ok: true, deleted: [own!.id], alreadyGone: [foreign!.id] });
    expect(await isPresent(foreign!.id)).toBe(true);
    expect(await deletionAudits(foreign!.id)).toHaveLength(0);
  });

  it("refuses to delete a running run, alone or in a selection, and deletes nothing", async () => {
    const [running] = await seeded(and(eq(executions.workspaceId, maya.workspaceId), eq(executions.triggeredBy, maya.userId), eq(executions.status, "running"))!);
    const [finished] = await seeded(and(finishedRunOf(maya), ne(executions.id, running!.id))!, 1);
    expect(await deleteExecutions(maya, [running!.id])).toEqual({ ok: false, code: "conflict", message: "Cancel the run first; a running execution cannot be deleted." });
    expect(await deleteExecutions(admin, [finished!.id, running!.id])).toMatchObject({ ok: false, code: "conflict" });
    expect(await isPresent(running!.id)).toBe(true);
    expect(await isPresent(finished!.id)).toBe(true);
  });

  it.each([
    ["no list", undefined],
    ["a single id instead of a list", "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"],
    ["an empty list", []],
    ["an id that is not a UUID", ["6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f", "42; drop table executions"]],
    ["more than 200 ids", Array.from({ length: 201 }, (_, n) => `6f1c2d3e-4b5a-4c7d-8e9f-${n.toString(16).padStart(12, "0")}`)],
  ])("refuses %s with a sentence", async (_, raw) => {
    const outcome = await deleteExecutions(admin, raw);
    expect(outcome).toMatchObject({ ok: false, code: "invalid_input" });
    expect(!outcome.ok && outcome.message).toMatch(/^[A-Z].*\.$/);
  });

  it("deletes a run once when two people delete it at the same moment", async () => {
    const [run] = await seeded(finishedRunOf(admin), 1);
    const outcomes = await Promise.all([deleteExecutions(admin, [run!.id]), deleteExecutions(admin, [run!.id])]);
    const deleted = outcomes.flatMap((o) => (o.ok ? o.deleted : []));
    expect(deleted).toEqual([run!.id]);
    expect(outcomes.filter((o) => !o.ok)).toEqual([notFound]);
    expect(await deletionAudits(run!.id)).toHaveLength(1);
  });

  it("finishes overlapping selections deleted at the same moment, each run once", async () => {
    const runs = await seeded(finishedRunOf(admin), 3);
    const [a, b, c] = runs.map((r) => r.id) as [string, string, string];
    const outcomes = await Promise.all([deleteExecutions(admin, [a, b, c]), deleteExecutions(admin, [c, b, a])]);
    const deleted = outcomes.flatMap((o) => (o.ok ? o.deleted : []));
    expect(deleted.sort()).toEqual([a, b, c].sort());
    for (const id of [a, b, c]) expect(await deletionAudits(id)).toHaveLength(1);
  });
});

describe("canceling a selection", () => {
  it("cancels a queued run with a full refund and skips a finished one with the reason", async () => {
    const db = await getDb();
    const [queued] = await seeded(and(eq(executions.workspaceId, admin.workspaceId), eq(executions.triggeredBy, admin.userId), eq(executions.status, "queued"))!);
    const [finished] = await seeded(finishedRunOf(admin));
    const balanceBefore = await balance(admin.workspaceId);

    const outcome = await cancelExecutions(admin, [queued!.id, finished!.id]);

    expect(outcome).toEqual({ ok: true, canceled: 1, canceling: 0, skipped: [{ id: finished!.id, reason: "This run has already finished." }] });
    const [after] = await db.select().from(executions).where(eq(executions.id, queued!.id));
    expect(after).toMatchObject({ status: "canceled", creditsCharged: 0, creditsRefunded: queued!.creditsReserved });
    expect(await balance(admin.workspaceId)).toBe(balanceBefore + queued!.creditsReserved);
    expect(await ledgerSum(admin.workspaceId)).toBe(await balance(admin.workspaceId));
    const [untouched] = await db.select({ status: executions.status }).from(executions).where(eq(executions.id, finished!.id));
    expect(untouched!.status).toBe("completed");
  });

  it("asks a running run to stop, and skips runs a member may not cancel", async () => {
    const [running] = await seeded(and(eq(executions.workspaceId, admin.workspaceId), eq(executions.triggeredBy, admin.userId), eq(executions.status, "running"))!);
    expect(await cancelExecutions(sam, [running!.id])).toMatchObject({ ok: true, canceled: 0, canceling: 0, skipped: [{ id: running!.id }] });
    expect(await cancelExecutions(admin, [running!.id])).toEqual({ ok: true, canceled: 0, canceling: 1, skipped: [] });
  });

  it("refuses a malformed selection", async () => {
    expect(await cancelExecutions(admin, ["not-an-id"])).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await cancelExecutions(admin, [])).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
