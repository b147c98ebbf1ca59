import { count, eq, inArray, sql, sum } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import {
  actionItems, creditLedger, executionArchives, executionItems, executionLogs, executionResults, executions, recommendations, workspaces,
} from "@/db/schema";
import { createFreshWorkspace, insertExecution } from "@/db/testing/fresh-workspace";
import { listExecutions } from "@/lib/executions/list";
import { emptyFilter } from "@/lib/executions/list-filter";
import { archiveExpiredExecutions } from "./archive";
import { exportArchivedExecution, listArchivedExecutions, noArchivedFilter, type ArchivedFilter } from "./archived";
import { saveRetentionPeriods } from "./settings";

const day = 86_400_000;
const now = new Date("2031-06-15T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

beforeAll(async () => {
  // The seeded workspaces keep everything, so each test sees only what it made.
  const db = await getDb();
  await db.update(workspaces).set({ retentionSuccessDays: 3650, retentionFailureDays: 3650 });
});

async function heavyRowCounts(ids: string[]) {
  const db = await getDb();
  const tables = { executionItems, executionLogs, executionResults, recommendations, actionItems };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table).where(inArray(table.executionId, ids));
    counts[name] = row!.n;
  }
  return counts;
}

describe("archival of executions past retention", () => {
  it("archives exactly the runs past their period, at the day boundaries", async () => {
    const { people } = await createFreshWorkspace([{ key: "owner", role: "admin" }]);
    const owner = people.owner!;
    const make = (status: "completed" | "partial" | "failed" | "canceled" | "running" | "queued", age: number) => insertExecution(owner, { status, createdAt: ago(age), withRows: true });
    const archivedExpected = [
      await make("completed", 365 * day + 1000),
      await make("partial", 400 * day),
      await make("failed", 90 * day + 1000),
      await make("canceled", 91 * day),
    ];
    const keptExpected = [
      await make("completed", 365 * day),
      await make("completed", 364 * day),
      await make("partial", 365 * day - 1000),
      await make("failed", 90 * day),
      await make("canceled", 89 * day),
      await make("running", 500 * day),
      await make("queued", 500 * day),
    ];
    const run = await archiveExpiredExecutions({ now, batchSize: 3 });
    expect(run).toMatchObject({ archived: 4, isDone: true });
    const db = await getDb();
    const archivedIds = archivedExpected.map((e) => e.id);
    const keptIds = keptExpected.map((e) => e.id);
    const rows = await db.select({ id: executions.id, archivedAt: executions.archivedAt }).from(executions).where(eq(executions.workspaceId, owner.workspaceId));
    expect(rows.filter((r) => r.archivedAt).map((r) => r.id).sort()).toEqual([...archivedIds].sort());
    expect(await heavyRowCounts(archivedIds)).toEqual({ executionItems: 0, executionLogs: 0, executionResults: 0, recommendations: 0, actionItems: 0 });
    expect(await heavyRowCounts(keptIds)).toEqual({ executionItems: 14, executionLogs: 7, executionResults: 7, recommendations: 7, actionItems: 7 });
    // Out of the history…
    const history = await listExecutions(owner, { filter: emptyFilter, page: { after: null, before: null }, limit: 100 });
    const listedIds = JSON.stringify(history.rows.map((row) => row.id));
    for (const id of archivedIds) expect(listedIds).not.toContain(id);
    for (const id of keptIds) expect(listedIds).toContain(id);
    // …and into one document each, with everything they held.
    const [archive] = await db.select().from(executionArchives).where(eq(executionArchives.executionId, archivedExpected[0]!.id));
    expect(archive).toMatchObject({ workspaceId: owner.workspaceId, status: "completed", agentId: "seo-audit", creditsCharged: 9 });
    const document = archive!.document as { execution: { id: string }; items: { item_label: string }[]; log: unknown[]; results: unknown[]; recommendations: { after_value: string }[]; actionItems: { title: string }[] };
    expect(document.execution.id).toBe(archivedExpected[0]!.id);
    expect(document.items.map((i) => i.item_label)).toEqual(["Home", "About"]);
    expect(document.log).toHaveLength(1);
    expect(document.results).toHaveLength(1);
    expect(document.recommendations.map((r) => r.after_value)).toEqual(["About us"]);
    expect(document.actionItems.map((a) => a.title)).toEqual(["Fix images"]);
  });

  it("changes nothing when run twice, and never touches the credit ledger", async () => {
    const { workspace, people } = await createFreshWorkspace([{ key: "owner", role: "admin" }]);
    for (let n = 0; n < 5; n++) await insertExecution(people.owner!, { status: n % 2 ? "failed" : "completed", createdAt: ago((400 + n) * day), withRows: true });
    const db = await getDb();
    const ledger = () => db.select({ n: count(), total: sum(creditLedger.amount) }).from(creditLedger);
    const ledgerBefore = await ledger();
    const first = await archiveExpiredExecutions({ now, batchSize: 2 });
    expect(first).toMatchObject({ archived: 5, batches: 3 });
    const snapshot = async () => ({
      archives: await db.select().from(executionArchives).where(eq(executionArchives.workspaceId, workspace.id)).orderBy(executionArchives.executionId),
      executions: await db.select().from(executions).where(eq(executions.workspaceId, workspace.id)).orderBy(executions.id),
    });
    const afterFirst = await snapshot();
    const second = await archiveExpiredExecutions({ now, batchSize: 2 });
    expect(second).toMatchObject({ archived: 0, batches: 0 });
    expect(await snapshot()).toEqual(afterFirst);
    expect(await ledger()).toEqual(ledgerBefore);
  });

  it("follows each workspace's own periods, which only admins change", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    expect(await saveRetentionPeriods(people.member!, { retentionSuccessDays: 30, retentionFailureDays: 30 })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await saveRetentionPeriods(people.admin!, { retentionSuccessDays: 3, retentionFailureDays: 30 })).toEqual({ ok: false, code: "invalid_input", message: "Keep runs at least 7 days." });
    expect(await saveRetentionPeriods(people.admin!, { retentionSuccessDays: "30", retentionFailureDays: "14" })).toMatchObject({ ok: true });
    const completed = await insertExecution(people.admin!, { status: "completed", createdAt: ago(31 * day) });
    const failed = await insertExecution(people.admin!, { status: "failed", createdAt: ago(15 * day) });
    const young = await insertExecution(people.admin!, { status: "completed", createdAt: ago(29 * day) });
    expect(await archiveExpiredExecutions({ now })).toMatchObject({ archived: 2 });
    const db = await getDb();
    const rows = await db.select({ id: executions.id, isArchived: sql<boolean>`${executions.archivedAt} is not null` }).from(executions).where(inArray(executions.id, [completed.id, failed.id, young.id]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.isArchived]))).toEqual({ [completed.id]: true, [failed.id]: true, [young.id]: false });
  });
});

describe("the Archived page", () => {
  it("lets admins search by id, agent and date, and export one as JSON", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    const seo = await insertExecution(people.admin!, { status: "failed", agentId: "seo-audit", createdAt: new Date("2030-11-02T10:00:00Z"), withRows: true });
    const perf = await insertExecution(people.admin!, { status: "failed", agentId: "performance-audit", createdAt: new Date("2030-12-24T10:00:00Z") });
    await archiveExpiredExecutions({ now });
    const ids = async (filter: Partial<ArchivedFilter>) => {
      const listed = await listArchivedExecutions(people.admin!, { ...noArchivedFilter, ...filter });
      if (!listed.ok) throw new Error(listed.message);
      return listed.rows.map((row) => row.executionId);
    };
    expect(await ids({})).toEqual([perf.id, seo.id]);
    expect(await ids({ id: seo.id.slice(0, 8) })).toEqual([seo.id]);
    expect(await ids({ agent: "performance-audit" })).toEqual([perf.id]);
    expect(await ids({ from: "2030-11-02", to: "2030-11-02" })).toEqual([seo.id]);
    expect(await ids({ from: "2030-11-03" })).toEqual([perf.id]);
    expect(await listArchivedExecutions(people.member!, noArchivedFilter)).toMatchObject({ ok: false, code: "forbidden" });

    const exported = await exportArchivedExecution(people.admin!, seo.id);
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.fileName).toBe(`execution-${seo.id}-archived.json`);
    const json = JSON.parse(exported.json) as { execution: { id: string }; items: unknown[] };
    expect(json.execution.id).toBe(seo.id);
    expect(json.items).toHaveLength(2);
    expect(await exportArchivedExecution(people.admin!, "not-an-id")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("answers a member asking for an archived execution exactly as for one that does not exist", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    const seo = await insertExecution(people.admin!, { status: "failed", agentId: "seo-audit", createdAt: new Date("2030-11-02T10:00:00Z") });
    await archiveExpiredExecutions({ now });
    const missing = await exportArchivedExecution(people.admin!, "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f");
    expect(missing).toEqual({ ok: false, code: "not_found", message: "Archived execution not found." });
    expect(await exportArchivedExecution(people.member!, seo.id)).toEqual(missing);
  });
});
