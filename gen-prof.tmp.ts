import { SeededRandom, dayMs } from "@/db/seed/random";
import { acmeCatalogue, generatePages, generateProducts, generateSales } from "@/db/seed/store";
import { generateHistory } from "@/db/seed/executions";
async function main() {
  const now = new Date("2026-11-25T12:00:00Z");
  const rng = new SeededRandom(1);
  let t = Date.now();
  const products = generateProducts(rng, acmeCatalogue, 324, "ACM");
  const pages = generatePages(rng, Object.keys(acmeCatalogue.collections), 42, "Acme");
  const { orders, traffic } = generateSales(rng, now, 456, 26);
  console.log("store", Date.now() - t); t = Date.now();
  const revenueByDay = new Map<string, number>();
  const metaByRef = new Map<string, string | null>([...products, ...pages].map((item) => [item.id, item.metaDescription]));
  const h = generateHistory({ rng, now, workspaceId: rng.uuid(), connectionId: rng.uuid(), storeName: "Acme", members: [{ userId: rng.uuid(), weight: 40 }, { userId: rng.uuid(), weight: 20 }], products, pages, traffic, revenueByDay, metaByRef, count: 1560, workflows: [], withLiveRuns: true, grants: { initial: 20000, monthly: 6000 } });
  console.log("history", Date.now() - t, h.executions.length, orders.length, dayMs);
}
main();
