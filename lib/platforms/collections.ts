import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { storeProducts } from "@/db/schema";

/** The store's product collections, for the scope picker. */
export async function listCollections(workspaceId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.selectDistinct({ collection: storeProducts.collection }).from(storeProducts).where(eq(storeProducts.workspaceId, workspaceId)).orderBy(asc(storeProducts.collection));
  return rows.map((r) => r.collection);
}
