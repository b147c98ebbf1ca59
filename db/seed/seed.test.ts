import { and, asc, count, eq, isNull, ne, notInArray, sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { getDb, openDatabase, type Db } from "@/db/client";
import { creditAccounts, creditLedger, executionItems, executionLogs, executions, memberships, storePages, storeProducts, workspaces } from "@/db/schema";
import { seedDemo } from "./index";
import { dayMs } from "./random";

async function acme() {
  const db = await getDb();
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, "acme"));
  return row!;
}

describe("the demo workspace", () => {
  it("has a store with at least 300 products and 50 pages, imperfect in the ways agents look for", async () => {
    const db = await getDb();
    const { id } = await acme();
    const [products] = await db.select({ n: count() }).from(storeProducts).where(eq(storeProducts.workspaceId, id));
    const [pages] = await db.select({ n: count() }).from(storePages).where(eq(storePages.workspaceId, id));
    const [missing] = await db.select({ n: count() }).from(storeProducts).where(and(eq(storeProducts.workspaceId, id), eq(storeProducts.description, "")));
    expect(products!.n).toBeGreaterThanOrEqual(300);
    expect(pages!.n).toBeGreaterThanOrEqual(50);
    expect(missing!.n).toBeGreaterThan(20);
  });

  it("is the same demo whenever it is seeded: each run (but a workflow's, which keep the calendar) has the same id, status, age and items", { timeout: 180_000 }, async () => {
    const seededAt = new Date(inject("seedNow"));
    const later = new Date(seededAt.getTime() + 3 * dayMs + 7 * 60_000 + 13_000);
    const demoOf = async (db: Db, now: Date) => {
      const runs = await db.select({ id: executions.id, status: executions.status, agentId: executions.agentId, createdAt: executions.createdAt, itemsProcessed: executions.itemsProcessed })
        .from(executions).where(isNull(executions.workflowId)).orderBy(asc(executions.id));
      const products = await db.select({ id: storeProducts.id, title: storeProducts.title }).from(storeProducts).orderBy(asc(storeProducts.id));
      return {
        runs: runs.map((r) => `${r.id} ${r.status} ${r.agentId}, ${now.getTime() - r.createdAt.getTime()} ms old, ${r.itemsProcessed} items`),
        products: products.map((p) => `${p.id} ${p.title}`),
      };
    };
    const other = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    try {
      await other.migrate();
      await seedDemo(other.db, { now: later });
      const [before, after] = [await demoOf(await getDb(), seededAt), await demoOf(other.db, later)];
      expect(after.runs.length).toBeGreaterThan(1500);
      expect(after.runs).toEqual(before.runs);
      expect(after.products).toEqual(before.products);
    } finally {
      await other.close();
    }
  });

  it("has at least 1,500 executions in all six statuses", async () => {
    const db = await getDb();
    const { id } = await acme();
    const byStatus = await db.select({ status: executions.status, n: count() }).from(executions).where(eq(executions.workspaceId, id)).groupBy(executions.status);
    expect(byStatus.map((r) => r.status).sort()).toEqual(["canceled", "completed", "failed", "partial", "queued", "running"]);
    expect(byStatus.reduce((sum, r) => sum + r.n, 0)).toBeGreaterThanOrEqual(1500);
  });

  it("keeps every balance equal to its ledger's sum and never below zero", async () => {
    const db = await getDb();
    const result = await db.execute(sql`
      select a.balance,
             (select coalesce(sum(l.amount), 0) from ${creditLedger} l where l.workspace_id = a.workspace_id) as ledger_sum,
             (select min(l.balance_after) from ${creditLedger} l where l.workspace_id = a.workspace_id) as lowest
      from ${creditAccounts} a`);
    const rows = rowsOf(result) as { balance: number; ledger_sum: string | number; lowest: number }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.balance).toBe(Number(row.ledger_sum));
      expect(Number(row.lowest)).toBeGreaterThanOrEqual(0);
    }
  });

  it("settles every finished execution: charged plus refunded equals reserved, and the ledger agrees", async () => {
    const db = await getDb();
    const unbalanced = await db
      .select({ id: executions.id })
      .from(executions)
      .where(and(notInArray(executions.status, ["queued", "running"]), ne(sql`${executions.creditsCharged} + ${executions.creditsRefunded}`, executions.creditsReserved)));
    expect(unbalanced).toEqual([]);
    const mismatched = await db.execute(sql`
      select e.id from ${executions} e
      where e.status not in ('queued', 'running')
        and -e.credits_charged <> (select coalesce(sum(amount), 0) from ${creditLedger} l where l.execution_id = e.id)`);
    expect(rowsOf(mismatched)).toHaveLength(0);
  });

  it("keeps items and logs in their execution's workspace", async () => {
    const db = await getDb();
    const [strayItems] = await db.select({ n: count() }).from(executionItems).innerJoin(executions, eq(executions.id, executionItems.executionId)).where(ne(executionItems.workspaceId, executions.workspaceId));
    const [strayLogs] = await db.select({ n: count() }).from(executionLogs).innerJoin(executions, eq(executions.id, executionLogs.executionId)).where(ne(executionLogs.workspaceId, executions.workspaceId));
    expect(strayItems!.n).toBe(0);
    expect(strayLogs!.n).toBe(0);
  });

  it("never lets a run of one workspace name a person who is not its member", async () => {
    const db = await getDb();
    const strangers = await db.execute(sql`
      select e.id from ${executions} e
      where e.triggered_by is not null
        and not exists (select 1 from ${memberships} m where m.workspace_id = e.workspace_id and m.user_id = e.triggered_by)`);
    expect(rowsOf(strangers)).toHaveLength(0);
  });
});

/** db.execute answers `{ rows }` on PGlite and an array on postgres.js. */
function rowsOf(result: unknown): unknown[] {
  return ((result as { rows?: unknown[] }).rows ?? result) as unknown[];
}
