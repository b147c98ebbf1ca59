import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { storePages, storeProducts } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";

const itemRequest = z.object({ type: z.enum(["products", "pages"]), id: z.uuid() });

/** One demo-store item of this workspace as the store holds it now, or null (a wrong type or id, or another workspace's). */
export async function getStoreItem(ctx: Ctx, raw: { type: string; id: string }) {
  const parsed = itemRequest.safeParse(raw);
  if (!parsed.success) return null;
  const db = await getDb();
  if (parsed.data.type === "pages") {
    const [page] = await db
      .select({ id: storePages.id, path: storePages.path, title: storePages.title, metaDescription: storePages.metaDescription, images: storePages.images, updatedAt: storePages.updatedAt })
      .from(storePages)
      .where(and(eq(storePages.id, parsed.data.id), eq(storePages.workspaceId, ctx.workspaceId)));
    return page ? { type: "page" as const, ...page } : null;
  }
  const [product] = await db
    .select({ id: storeProducts.id, sku: storeProducts.sku, title: storeProducts.title, description: storeProducts.description, metaDescription: storeProducts.metaDescription, images: storeProducts.images, updatedAt: storeProducts.updatedAt })
    .from(storeProducts)
    .where(and(eq(storeProducts.id, parsed.data.id), eq(storeProducts.workspaceId, ctx.workspaceId)));
  return product ? { type: "product" as const, ...product } : null;
}
