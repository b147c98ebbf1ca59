import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { platformConnections, storeProducts, workspaces } from "@/db/schema";
import { PlatformError, type ItemQuery } from "./adapter";
import { DemoStoreAdapter } from "./demo-store";

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
});
