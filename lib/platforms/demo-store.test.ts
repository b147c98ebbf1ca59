import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb } from "@/db/client";
import { platformConnections, storeProducts, workspaces } from "@/db/schema";
import { PlatformError, type ItemQuery } from "./adapter";
import { DemoStoreAdapter } from "./demo-store";

/** Applies at once need separate connections: PGlite has one, so that test runs on PostgreSQL only. */
const isPostgres = Boolean(process.env.RUNLOG_TEST_DATABASE_URL);

let adapter: DemoStoreAdapter;
let workspaceId: string;
let connectionId: string;

beforeAll(async () => {
  const db = await getDb();
  const [row] = await db.select({ workspaceId: workspaces.id, connectionId: platformConnections.id }).from(workspaces).innerJoin(platformConnections, eq(platformConnections.workspaceId, workspaces.id)).where(eq(workspaces.slug, "acme"));
  ({ workspaceId, connectionId } = row!);
  adapter = new DemoStoreAdapter(workspaceId, connectionId);
});

describe("the demo store platform", () => {
  it("lists items in scope in stable batches: every item once, pages then products, capped by the scope", async () => {
    const query: ItemQuery = { types: ["page", "product"], scope: { mode: "all", maxItems: 10_000 } };
    const total = await adapter.countItems(query);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const batch = await adapter.listItems(query, cursor, 70);
      if (batch.length === 0) break;
      seen.push(...batch.map((i) => i.key));
      cursor = batch[batch.length - 1]!.key;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect([...seen].sort()).toEqual(seen);
    expect(await adapter.countItems({ ...query, scope: { mode: "all", maxItems: 25 } })).toBe(25);
    expect(await adapter.countItems({ types: ["product"], scope: { mode: "collection", collection: "Tents", maxItems: 10_000 } })).toBeGreaterThan(10);
  });

  it("applies a change once, and refuses when the store value moved since the agent read it", async () => {
    const db = await getDb();
    const [product] = await db.select().from(storeProducts).where(eq(storeProducts.workspaceId, workspaceId)).limit(1);
    const before = product!.metaDescription;
    expect(await adapter.applyChange("product", product!.id, "meta_description", before, "A better meta description for this product.")).toEqual({ ok: true });
    expect(await adapter.readField("product", product!.id, "meta_description")).toBe("A better meta description for this product.");
    // Applying the same change again changes nothing and is not an error.
    expect(await adapter.applyChange("product", product!.id, "meta_description", before, "A better meta description for this product.")).toEqual({ ok: true });
    const stale = await adapter.applyChange("product", product!.id, "meta_description", before, "Something else");
    expect(stale).toMatchObject({ ok: false });
    expect(await adapter.readField("product", product!.id, "meta_description")).toBe("A better meta description for this product.");
    expect(await adapter.applyChange("product", product!.id, "images.0.alt", product!.images[0]!.alt, "Front view")).toEqual({ ok: true });
    expect(await adapter.applyChange("product", "00000000-0000-4000-8000-000000000000", "title", null, "x")).toMatchObject({ ok: false });
  });

  it("refuses calls over a rate limit and every call when the connection is lost", async () => {
    const db = await getDb();
    const query: ItemQuery = { types: ["page"], scope: { mode: "all", maxItems: 5 } };
    await db.update(platformConnections).set({ health: "rate_limited", rateLimitPerSecond: 2 }).where(eq(platformConnections.id, connectionId));
    await adapter.countItems(query);
    await adapter.countItems(query);
    await expect(adapter.countItems(query)).rejects.toMatchObject({ code: "rate_limited" });
    await db.update(platformConnections).set({ health: "lost", rateLimitPerSecond: null }).where(and(eq(platformConnections.id, connectionId)));
    await expect(adapter.listItems(query, null, 5)).rejects.toBeInstanceOf(PlatformError);
    await db.update(platformConnections).set({ health: "active" }).where(eq(platformConnections.id, connectionId));
    expect(await adapter.listItems(query, null, 5)).toHaveLength(5);
  });

  it.runIf(isPostgres)("two applies of one title to two items at once: one applies, the other is refused naming it", async () => {
    const db = await getDb();
    const [first, second] = await db.select().from(storeProducts).where(eq(storeProducts.connectionId, connectionId)).orderBy(storeProducts.id).limit(2);
    const title = "One title for two products at once";
    let release!: () => void;
    let isHeld!: () => void;
    const held = new Promise<void>((resolve) => (isHeld = resolve));
    // Another session holds the products table in SHARE mode: an apply's row lock and its
    // check for the title still go ahead, its write waits. So both applies have checked
    // before either writes, unless applies of one store take turns.
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`lock table ${storeProducts} in share mode`);
      isHeld();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await held;
      const applying = [first!, second!].map((item) => adapter.applyChange("product", item.id, "title", item.title, title, { keepTitleDistinct: true }));
      for (let waited = 0; ; waited += 20) {
        const [waiting] = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (waiting!.n >= 2) break;
        if (waited > 10_000) throw new Error("The two applies never waited at once.");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      release();
      await holder;
      const results = await Promise.all(applying);
      const winner = results[0]!.ok ? first! : second!;
      const refused = results.find((r) => !r.ok);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(refused).toEqual({ ok: false, reason: `“${title}” is already the title of the product ${winner.sku} in the store; two items with one title compete in search results. Edit this title, or rename the other item, then apply again.` });
      const titled = await db.select({ id: storeProducts.id }).from(storeProducts).where(and(eq(storeProducts.connectionId, connectionId), eq(storeProducts.title, title)));
      expect(titled).toEqual([{ id: winner.id }]);
    } finally {
      release?.();
      await holder;
      for (const item of [first!, second!]) await db.update(storeProducts).set({ title: item.title }).where(eq(storeProducts.id, item.id));
    }
  });
});
