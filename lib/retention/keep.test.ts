import { and, asc, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { actionItems, auditLog, executionItems, executionSearch, executionLogs, executionResults, executions, recommendations } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import { listExecutions } from "@/lib/executions/list";
import { emptyFilter } from "@/lib/executions/list-filter";
import { getVisibleExecution } from "@/lib/executions/queries";
import { archiveExpiredExecutions } from "./archive";
import { listArchivedExecutions, noArchivedFilter } from "./archived";
import { archiveDateOf, restoreArchivedExecution, setExecutionKept } from "./keep";

const day = 86_400_000;

/** Everything a run holds, as people would compare it before and after. */
async function contentsOf(executionId: string) {
  const db = await getDb();
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries({ executionItems, executionLogs, executionResults, recommendations, actionItems })) {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.executionId, executionId));
    counts[name] = row!.n;
  }
  const recs = await db.select({ id: recommendations.id, field: recommendations.field, after: recommendations.afterValue, status: recommendations.status }).from(recommendations).where(eq(recommendations.executionId, executionId)).orderBy(asc(recommendations.id));
  return { counts, recs };
}

async function mayasFinishedRun() {
  const { maya } = await seededPeople();
  const db = await getDb();
  const [run] = await db.select().from(executions)
    .where(and(eq(executions.triggeredBy, maya.userId), eq(executions.status, "completed"), eq(executions.agentId, "seo-audit")))
    .orderBy(asc(executions.createdAt)).limit(1);
  return run!;
}

describe("keeping a run from archival and restoring an archived one", () => {
  it("a kept run survives archival; let go, it is archived; restored by an admin it is back in the history with its results intact", async () => {
    const { admin, maya, sam } = await seededPeople();
    const run = await mayasFinishedRun();
    const before = await contentsOf(run.id);
    expect(before.counts.recommendations).toBeGreaterThan(0);
    const longAfter = new Date(run.createdAt.getTime() + 3000 * day);

    expect(await setExecutionKept(sam, run.id, true)).toMatchObject({ ok: false, code: "not_found" });
    expect(await setExecutionKept(maya, run.id, true)).toMatchObject({ ok: true });
    await archiveExpiredExecutions({ now: longAfter });
    expect(await getVisibleExecution(maya, run.id)).not.toBeNull();

    expect(await setExecutionKept(admin, run.id, false)).toMatchObject({ ok: true, keptAt: null });
    await archiveExpiredExecutions({ now: longAfter });
    expect(await getVisibleExecution(maya, run.id)).toBeNull();
    const archived = await listArchivedExecutions(admin, { ...noArchivedFilter, id: run.id });
    expect(archived.ok && archived.rows.map((r) => r.executionId)).toEqual([run.id]);

    expect(await restoreArchivedExecution(maya, run.id)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await restoreArchivedExecution(admin, run.id)).toMatchObject({ ok: true });
    expect(await restoreArchivedExecution(admin, run.id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await getVisibleExecution(maya, run.id)).not.toBeNull();
    expect(await contentsOf(run.id)).toEqual(before);
    const again = await listArchivedExecutions(admin, { ...noArchivedFilter, id: run.id });
    expect(again.ok && again.rows).toEqual([]);

    // Its retention counts from the restore: archival soon after leaves it; a year on, it goes again.
    const db = await getDb();
    const [restored] = await db.select().from(executions).where(eq(executions.id, run.id));
    expect(restored!.retentionFrom).not.toBeNull();
    expect(archiveDateOf(restored!, { retentionSuccessDays: 365, retentionFailureDays: 90 })!.getTime()).toBe(restored!.retentionFrom!.getTime() + 365 * day);
    await archiveExpiredExecutions({ now: new Date(restored!.retentionFrom!.getTime() + 30 * day) });
    expect(await getVisibleExecution(maya, run.id)).not.toBeNull();

    const audited = await db.select({ action: auditLog.action, actor: auditLog.actorUserId }).from(auditLog)
      .where(and(eq(auditLog.targetId, run.id), inArray(auditLog.action, ["execution.kept", "execution.released", "archive.restored"]))).orderBy(asc(auditLog.id));
    expect(audited).toEqual([
      { action: "execution.kept", actor: maya.userId },
      { action: "execution.released", actor: admin.userId },
      { action: "archive.restored", actor: admin.userId },
    ]);
  });

  it("an archived run leaves search with its rows; restored, search finds it again by a word from its results", async () => {
    const { admin } = await seededPeople();
    const run = await createFinishedExecution(admin, {
      results: [{ kind: "report", title: "Summary", payload: { summary: "Returns rose after the quillowmere campaign", tables: [] } }],
      recommendations: [{ itemLabel: "Linen apron", before: "Apron", after: "Stonewashed linen apron", rationale: "Name the tarnwick weave" }],
    });
    const searchFor = async (q: string) => (await listExecutions(admin, { filter: { ...emptyFilter, q }, page: { after: null, before: null }, limit: 10 })).rows.map((row) => row.id);
    expect(await searchFor("quillowmere")).toEqual([run.id]);

    const db = await getDb();
    await archiveExpiredExecutions({ now: new Date(run.createdAt.getTime() + 3000 * day) });
    expect(await searchFor("quillowmere")).toEqual([]);
    expect(await db.select({ n: count() }).from(executionSearch).where(eq(executionSearch.executionId, run.id))).toEqual([{ n: 0 }]);

    expect(await restoreArchivedExecution(admin, run.id)).toMatchObject({ ok: true });
    expect(await searchFor("quillowmere")).toEqual([run.id]);
    expect(await searchFor("tarnwick")).toEqual([run.id]);
    expect(await searchFor(run.id.slice(0, 8))).toEqual([run.id]);
  });
});
