import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, platformConnections, recommendations, storeProducts } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { createFinishedExecution } from "./finished-execution";

export type CatalogueRun = { executionId: string; recs: { id: string; itemRef: string; before: string; after: string }[] };

/**
 * A finished SEO audit of a catalogue of its own: `approvedCount` new titles approved and
 * `pendingCount` pending, one per new product of sam's store, so no two collide.
 */
export async function catalogueRun(ctx: Ctx, approvedCount: number, pendingCount = 0): Promise<CatalogueRun> {
  const db = await getDb();
  const [connection] = await db.select().from(platformConnections).where(eq(platformConnections.workspaceId, ctx.workspaceId)).limit(1);
  const execution = await createFinishedExecution(ctx, {});
  await db.update(executions).set({ connectionId: connection!.id }).where(eq(executions.id, execution.id));
  const tag = execution.id.slice(0, 8);
  const n = approvedCount + pendingCount;
  const recs: CatalogueRun["recs"] = [];
  for (let start = 0; start < n; start += 500) {
    const products = await db.insert(storeProducts).values(Array.from({ length: Math.min(500, n - start) }, (_, j) => ({
      workspaceId: ctx.workspaceId, connectionId: connection!.id, sku: `CAT-${tag}-${start + j}`, handle: `cat-${tag}-${start + j}`,
      title: `Catalogue item ${tag} ${start + j}`, collection: "Jackets", vendor: "Northpeak", priceCents: 1000,
    }))).returning({ id: storeProducts.id, title: storeProducts.title });
    const inserted = await db.insert(recommendations).values(products.map((p, j) => ({
      executionId: execution.id, workspaceId: ctx.workspaceId, itemType: "product", itemRef: p.id, itemLabel: p.title, field: "title",
      beforeValue: p.title, afterValue: `${p.title} | Waterproof shell jacket`, priority: (["high", "medium", "low"] as const)[(start + j) % 3]!,
      rationale: "Too short for search results.", status: start + j < approvedCount ? "approved" as const : "pending" as const,
      decidedAt: start + j < approvedCount ? sql`now() - interval '1 minute'` : null, decidedBy: start + j < approvedCount ? ctx.userId : null,
    }))).returning({ id: recommendations.id, itemRef: recommendations.itemRef, before: recommendations.beforeValue, after: recommendations.afterValue });
    recs.push(...inserted.map((r) => ({ id: r.id, itemRef: r.itemRef, before: r.before!, after: r.after })));
  }
  return { executionId: execution.id, recs };
}

