import { and, eq, like, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb } from "@/db/client";
import { executionLogs, executions, platformConnections, recommendations, storePages, storeProducts } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { executionById, settleSeededRuns } from "@/db/testing/runs";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { batchSize, beginExecution, finishExecution, processBatch } from "@/lib/executions/engine";
import { startExecution } from "@/lib/executions/start";
import { decideRecommendations } from "@/lib/results/recommendations";

/**
 * A collection of products whose new titles clash: long titles that cut to a name another
 * product has, duplicate titles that get the same colour, and titles the store already holds,
 * spread over two batches (fillers between them).
 */
const collection = "Title clash";
const tagline = (n: number) => `Lightweight, Durable Nylon Jacket for Hiking, Travel and Everyday Adventures, edition ${n}`;
type Clash = { sku: string; title: string; color?: string };
const firstBatch: Clash[] = [
  { sku: "CLASH-0001", title: "Clashpoint Ridge Jacket" },
  { sku: "CLASH-0002", title: `Clashpoint Ridge Jacket – ${tagline(1)}`, color: "Red" },
  { sku: "CLASH-0003", title: `Clashpoint Ridge Jacket – ${tagline(2)}`, color: "Red" },
  { sku: "CLASH-0004", title: "Clashpoint Summit Tent", color: "Green" },
  { sku: "CLASH-0005", title: "Clashpoint Summit Tent", color: "Green" },
  { sku: "CLASH-0006", title: "Clashpoint Storm Shell", color: "Grey" },
  { sku: "CLASH-0007", title: "Clashpoint Storm Shell", color: "Grey" },
  { sku: "CLASH-0008", title: "Clashpoint Storm Shell – CLASH-0007" },
];
const secondBatch: Clash[] = [
  { sku: "CLASH-0301", title: `Clashpoint Ridge Jacket – ${tagline(3)}`, color: "Blue" },
  { sku: "CLASH-0302", title: `Clashpoint Ridge Jacket – ${tagline(4)}`, color: "Red" },
  { sku: "CLASH-0303", title: "Clashpoint Summit Tent", color: "Green" },
  { sku: "CLASH-0304", title: "Clashpoint Summit Tent", color: "Orange" },
];
const fillers = batchSize + 20 - firstBatch.length;

/** What each clashing product is proposed, settled in item order across both batches. */
const expected: Record<string, string | null> = {
  "CLASH-0002": "Clashpoint Ridge Jacket – Red", // its name is CLASH-0001's title
  "CLASH-0003": "Clashpoint Ridge Jacket – CLASH-0003", // "– Red" went to CLASH-0002
  "CLASH-0004": "Clashpoint Summit Tent – Green",
  "CLASH-0005": "Clashpoint Summit Tent – CLASH-0005",
  "CLASH-0006": "Clashpoint Storm Shell – Grey",
  "CLASH-0007": null, // "– Grey" went to CLASH-0006, "– CLASH-0007" is CLASH-0008's title
  "CLASH-0301": "Clashpoint Ridge Jacket – Blue",
  "CLASH-0302": "Clashpoint Ridge Jacket – CLASH-0302", // "– Red" went to CLASH-0002, a batch before
  "CLASH-0303": "Clashpoint Summit Tent – CLASH-0303",
  "CLASH-0304": "Clashpoint Summit Tent – CLASH-0304", // "– Orange" is a page's title
};

let admin: Ctx;
let connectionId: string;

beforeAll(async () => {
  const db = await getDb();
  admin = await seededCtx("admin@acme.test");
  await settleSeededRuns();
  const [connection] = await db.select().from(platformConnections).where(eq(platformConnections.workspaceId, admin.workspaceId));
  connectionId = connection!.id;
  const product = (n: number, { sku, title, color }: Clash) => ({
    // Ids in this order, so the store lists the products as written here.
    id: `c1a50000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    workspaceId: admin.workspaceId, connectionId, sku, handle: sku.toLowerCase(), title, collection, vendor: "Clashpoint", priceCents: 10_000,
    description: "A well made piece of gear that keeps its shape, sheds the rain and packs small for every trip you take with it.",
    attributes: (color ? { color } : {}) as Record<string, string>,
  });
  await db.insert(storeProducts).values([
    ...firstBatch.map((clash, n) => product(n, clash)),
    ...Array.from({ length: fillers }, (_, n) => product(firstBatch.length + n, { sku: `CLASH-F${n}`, title: `Clashpoint Filler ${n + 1}` })),
    ...secondBatch.map((clash, n) => product(firstBatch.length + fillers + n, clash)),
  ]);
  await db.insert(storePages).values({ workspaceId: admin.workspaceId, connectionId, path: "/pages/clashpoint-tents", title: "Clashpoint Summit Tent – Orange" });
});

async function startClashAudit(): Promise<string> {
  const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "collection", collection, maxItems: 10_000 }, includePages: false, includeProducts: true } });
  if (!started.ok) throw new Error(started.message);
  return started.executionId;
}

/** Every title the run proposes is new to the store and proposed once; answers them by SKU. */
async function expectDistinctTitles(executionId: string): Promise<Record<string, string | null>> {
  const db = await getDb();
  const proposed = await db
    .select({ sku: storeProducts.sku, after: recommendations.afterValue })
    .from(recommendations)
    .innerJoin(storeProducts, sql`${storeProducts.id}::text = ${recommendations.itemRef}`)
    .where(and(eq(recommendations.executionId, executionId), eq(recommendations.field, "title")));
  const titles = proposed.map((p) => p.after);
  expect(new Set(titles).size, titles.join("\n")).toBe(titles.length);
  const storeTitles = new Set([
    ...(await db.select({ title: storeProducts.title }).from(storeProducts).where(eq(storeProducts.connectionId, connectionId))).map((r) => r.title),
    ...(await db.select({ title: storePages.title }).from(storePages).where(eq(storePages.connectionId, connectionId))).map((r) => r.title),
  ]);
  expect(titles.filter((t) => storeTitles.has(t))).toEqual([]);
  const bySku = Object.fromEntries(proposed.map((p) => [p.sku, p.after]));
  return Object.fromEntries(Object.keys(expected).map((sku) => [sku, bySku[sku] ?? null]));
}

describe("the SEO audit's new titles within one run", () => {
  it("are all distinct and new to the store across batches: a taken title falls back to the colour, then the SKU, else none and the log says why", { timeout: 60_000 }, async () => {
    const id = await startClashAudit();
    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    expect(await executionById(id)).toMatchObject({ status: "completed", batchesDone: 2, itemsProcessed: batchSize + 20 + secondBatch.length });
    expect(await expectDistinctTitles(id)).toEqual(expected);
    const db = await getDb();
    const lines = await db.select({ message: executionLogs.message }).from(executionLogs)
      .where(and(eq(executionLogs.executionId, id), like(executionLogs.message, "No title proposed for %")));
    expect(lines.map((l) => l.message)).toEqual([
      "No title proposed for “Clashpoint Storm Shell”: each title it could have is already another item's title in the store, or proposed for another item in this run or in another run of the store (not yet applied or rejected).",
    ]);
  });

  it("stay distinct when the run resumes after its first batch", { timeout: 60_000 }, async () => {
    const id = await startClashAudit();
    // An instance writes the first batch, then dies: nothing renews its lease any more.
    const dead = "instance:test-dead";
    await beginExecution(id, dead);
    await processBatch(id, dead, 0);
    const db = await getDb();
    await db.update(executions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(executions.id, id));
    expect(await executionById(id)).toMatchObject({ status: "running", batchesDone: 1 });

    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    expect(await executionById(id)).toMatchObject({ status: "completed", batchesDone: 2, attempts: 2 });
    expect(await expectDistinctTitles(id)).toEqual(expected);
  });
});

/**
 * Products whose new titles clash across runs, a group per test: three tents sharing one title
 * (each proposed the title with its colour, Green, else with its SKU) and three jackets whose
 * long titles cut to one name (the name, else with the colour, Red, else with the SKU).
 */
const rivalGroups = ["Sequential", "Decided", "Again", "Concurrent"] as const;
type RivalGroup = (typeof rivalGroups)[number];
const rivalSkus = (group: RivalGroup) => ["T1", "T2", "T3", "J1", "J2", "J3"].map((n) => `RIV-${group.toUpperCase()}-${n}`);
const rivalIds = new Map<string, string>();

beforeAll(async () => {
  const db = await getDb();
  const rows = rivalGroups.flatMap((group, g) => rivalSkus(group).map((sku, n) => ({
    id: `c1a50000-0000-4000-9000-${String(g * 10 + n).padStart(12, "0")}`,
    workspaceId: admin.workspaceId, connectionId, sku, handle: sku.toLowerCase(), collection: "Rivalry", vendor: "Rivalry", priceCents: 10_000,
    title: sku.includes("-T") ? `Rivalry ${group} Tent` : `Rivalry ${group} Jacket – ${tagline(n)}`,
    description: "A well made piece of gear that keeps its shape, sheds the rain and packs small for every trip you take with it.",
    attributes: { color: sku.includes("-T") ? "Green" : "Red" } as Record<string, string>,
  })));
  await db.insert(storeProducts).values(rows);
  for (const row of rows) rivalIds.set(row.sku, row.id);
});

/** Queues an SEO audit of the products with these SKUs only. */
async function startAuditOf(skus: string[]): Promise<string> {
  const itemIds = skus.map((sku) => rivalIds.get(sku)!);
  const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "items", itemIds, maxItems: 10 }, includePages: false, includeProducts: true } });
  if (!started.ok) throw new Error(started.message);
  return started.executionId;
}

async function auditOf(skus: string[]): Promise<string> {
  const id = await startAuditOf(skus);
  await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
  expect(await executionById(id)).toMatchObject({ status: "completed" });
  return id;
}

/** The run's proposed titles by SKU. */
async function titlesOf(executionId: string): Promise<Record<string, string>> {
  const db = await getDb();
  const rows = await db
    .select({ sku: storeProducts.sku, after: recommendations.afterValue })
    .from(recommendations)
    .innerJoin(storeProducts, sql`${storeProducts.id}::text = ${recommendations.itemRef}`)
    .where(and(eq(recommendations.executionId, executionId), eq(recommendations.field, "title")));
  return Object.fromEntries(rows.map((r) => [r.sku, r.after]));
}

async function titleRecommendation(executionId: string, sku: string): Promise<string> {
  const db = await getDb();
  const [row] = await db.select({ id: recommendations.id }).from(recommendations)
    .where(and(eq(recommendations.executionId, executionId), eq(recommendations.field, "title"), eq(recommendations.itemRef, rivalIds.get(sku)!)));
  return row!.id;
}

describe("the SEO audit's new titles across runs of one store", () => {
  it("are not what another run proposed for another product and nobody applied or rejected yet", { timeout: 60_000 }, async () => {
    const first = await auditOf(["RIV-SEQUENTIAL-T1", "RIV-SEQUENTIAL-J1"]);
    expect(await titlesOf(first)).toEqual({ "RIV-SEQUENTIAL-T1": "Rivalry Sequential Tent – Green", "RIV-SEQUENTIAL-J1": "Rivalry Sequential Jacket" });
    const second = await auditOf(["RIV-SEQUENTIAL-T2", "RIV-SEQUENTIAL-J2"]);
    expect(await titlesOf(second)).toEqual({ "RIV-SEQUENTIAL-T2": "Rivalry Sequential Tent – RIV-SEQUENTIAL-T2", "RIV-SEQUENTIAL-J2": "Rivalry Sequential Jacket – Red" });
  });

  it("may be what another run proposed once that proposal is rejected, not while it is approved", { timeout: 60_000 }, async () => {
    const first = await auditOf(["RIV-DECIDED-T1", "RIV-DECIDED-J1"]);
    expect(await titlesOf(first)).toEqual({ "RIV-DECIDED-T1": "Rivalry Decided Tent – Green", "RIV-DECIDED-J1": "Rivalry Decided Jacket" });
    expect(await decideRecommendations(admin, first, { ids: [await titleRecommendation(first, "RIV-DECIDED-T1")], decision: "rejected" })).toEqual({ ok: true, changed: 1 });
    expect(await decideRecommendations(admin, first, { ids: [await titleRecommendation(first, "RIV-DECIDED-J1")], decision: "approved" })).toEqual({ ok: true, changed: 1 });
    const second = await auditOf(["RIV-DECIDED-T2", "RIV-DECIDED-J2"]);
    expect(await titlesOf(second)).toEqual({ "RIV-DECIDED-T2": "Rivalry Decided Tent – Green", "RIV-DECIDED-J2": "Rivalry Decided Jacket – Red" });
  });

  it("stay the same when the audit runs again over the same products before anyone reviewed them", { timeout: 60_000 }, async () => {
    const skus = ["RIV-AGAIN-T1", "RIV-AGAIN-J1"];
    const proposed = { "RIV-AGAIN-T1": "Rivalry Again Tent – Green", "RIV-AGAIN-J1": "Rivalry Again Jacket" };
    expect(await titlesOf(await auditOf(skus))).toEqual(proposed);
    expect(await titlesOf(await auditOf(skus))).toEqual(proposed);
    // Another product of either title still gets another one.
    expect(await titlesOf(await auditOf(["RIV-AGAIN-T2"]))).toEqual({ "RIV-AGAIN-T2": "Rivalry Again Tent – RIV-AGAIN-T2" });
  });

  // PGlite has one connection: there, one batch's transaction ends before another's begins.
  it.runIf(Boolean(process.env.RUNLOG_TEST_DATABASE_URL))("are proposed once when two runs write their batches at the same moment", { timeout: 60_000 }, async () => {
    const runs = [await startAuditOf(["RIV-CONCURRENT-T1", "RIV-CONCURRENT-J1"]), await startAuditOf(["RIV-CONCURRENT-T2", "RIV-CONCURRENT-J2"])];
    const owner = "instance:test-concurrent";
    for (const id of runs) expect(await beginExecution(id, owner)).toMatchObject({ shouldRun: true });
    const db = await getDb();
    // Another session holds the row both batches count their recommendations on, after they
    // settled their titles: each batch's transaction stays open until both are in flight.
    let release!: () => void;
    let isHeld!: () => void;
    const held = new Promise<void>((resolve) => (isHeld = resolve));
    const holder = db.transaction(async (tx) => {
      const locked = await executeRows(tx, sql`select 1 from usage_daily where workspace_id = ${admin.workspaceId} and user_id = ${admin.userId} and agent_id = 'seo-audit' and day = (now() at time zone 'UTC')::date for update`);
      expect(locked).toHaveLength(1);
      isHeld();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await held;
      const batches = Promise.all(runs.map((id) => processBatch(id, owner, 0)));
      for (let waited = 0; ; waited += 20) {
        const [waiting] = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (waiting!.n >= 2) break;
        if (waited > 20_000) throw new Error("The two batches were never in flight together.");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      release();
      await holder;
      await batches;
    } finally {
      release?.();
      await holder;
    }
    for (const id of runs) await finishExecution(id, owner);
    const [one, two] = await Promise.all(runs.map(titlesOf));
    // Whichever batch took its turn first keeps the first titles; the other falls back.
    const first = one!["RIV-CONCURRENT-T1"] === "Rivalry Concurrent Tent – Green" ? 1 : 2;
    const second = 3 - first;
    expect({ ...one, ...two }).toEqual({
      [`RIV-CONCURRENT-T${first}`]: "Rivalry Concurrent Tent – Green",
      [`RIV-CONCURRENT-J${first}`]: "Rivalry Concurrent Jacket",
      [`RIV-CONCURRENT-T${second}`]: `Rivalry Concurrent Tent – RIV-CONCURRENT-T${second}`,
      [`RIV-CONCURRENT-J${second}`]: "Rivalry Concurrent Jacket – Red",
    });
  });
});
