import { and, eq, like, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionLogs, executions, platformConnections, recommendations, storePages, storeProducts } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { executionById, settleSeededRuns } from "@/db/testing/runs";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { batchSize, beginExecution, processBatch } from "@/lib/executions/engine";
import { startExecution } from "@/lib/executions/start";

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
      "No title proposed for “Clashpoint Storm Shell”: each title it could have is already another item's title in the store or proposed for another item in this run.",
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
