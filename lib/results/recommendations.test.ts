import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { recommendations, type Execution } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { decodeRecommendationCursor, encodeRecommendationCursor, parseRecommendationParams, recommendationFilterSchema, recommendationPageSize, recommendationSorts, type RecommendationFilter } from "./recommendation-filter";
import { listRecommendations, matching, type RecommendationPage } from "./recommendations";

let sam: Ctx;
let run: Execution;

beforeAll(async () => {
  sam = await seededCtx("sam@acme.test");
  // 230 rows: labels repeat (so the id breaks ties) and some carry quotes and accents.
  run = await createFinishedExecution(sam, {
    recommendations: Array.from({ length: 230 }, (_, i) => ({
      itemLabel: `${["Trail boot", "Rain “shell”", "Écharpe"][i % 3]} ${i % 40}`,
      field: ["title", "meta_description", "images.2.bytes"][i % 3],
      before: "old", after: `new ${i}`, rationale: "r",
    })),
  });
});

const filterOf = (raw: Record<string, unknown>): RecommendationFilter => recommendationFilterSchema.parse(raw);

/** The ids in the list's order, straight from SQL: the keys each sort names, then the id. */
async function expectedIds(filter: RecommendationFilter): Promise<string[]> {
  const db = await getDb();
  const keys = { priority: [recommendations.priority, recommendations.itemLabel], item: [recommendations.itemLabel, recommendations.priority], field: [recommendations.field, recommendations.priority], status: [recommendations.status, recommendations.priority] }[filter.sort];
  const rows = await db.select({ id: recommendations.id }).from(recommendations).where(matching(run.id, filter)).orderBy(...keys.map((k) => asc(k)), asc(recommendations.id));
  return rows.map((r) => r.id);
}

async function walk(filter: RecommendationFilter): Promise<RecommendationPage[]> {
  const pages = [await listRecommendations(run, filter)];
  while (pages.at(-1)!.next) pages.push(await listRecommendations(run, filter, { after: pages.at(-1)!.next, before: null }));
  return pages;
}

describe("an execution's recommendation list", () => {
  it.each(Object.keys(recommendationSorts))("pages by keyset sorted by %s: 25 a page, every row once, and back again to the same pages", async (sort) => {
    const filter = filterOf({ sort });
    const pages = await walk(filter);
    expect(recommendationPageSize).toBe(25);
    expect(pages.map((p) => p.rows.length)).toEqual([...Array(9).fill(25), 5]);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(await expectedIds(filter));
    expect(pages.map((p) => p.offset)).toEqual(Array.from({ length: 10 }, (_, n) => n * 25));
    expect(pages.every((p) => p.total === 230)).toBe(true);
    expect(pages[0]!.prev).toBeNull();
    for (let n = pages.length - 1; n > 0; n--) {
      const back = await listRecommendations(run, filter, { after: null, before: pages[n]!.prev });
      expect(back.rows.map((r) => r.id)).toEqual(pages[n - 1]!.rows.map((r) => r.id));
    }
  });

  it("keeps the filter while paging, and a cursor survives the trip through the URL", async () => {
    const filter = filterOf({ priority: ["medium"], q: "shell" });
    const pages = await walk(filter);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.priority === "medium" && r.itemLabel.includes("shell"))).toBe(true);
    expect(rows.map((r) => r.id)).toEqual(await expectedIds(filter));
    const cursor = (await listRecommendations(run, filterOf({}))).next!;
    expect(decodeRecommendationCursor(encodeRecommendationCursor(cursor))).toEqual(cursor);
    const parsed = parseRecommendationParams({ rafter: encodeRecommendationCursor(cursor) });
    expect(parsed).toMatchObject({ problem: null, position: { after: cursor, before: null } });
    expect(parseRecommendationParams({ rafter: "garbage" }).problem).toMatch(/page link is not valid/);
  });

  it("shows rows whose status changed since the page before in their new place, never twice", async () => {
    const filter = filterOf({ status: ["pending"] });
    const first = await listRecommendations(run, filter);
    const db = await getDb();
    await db.update(recommendations).set({ status: "approved" }).where(and(eq(recommendations.executionId, run.id), eq(recommendations.id, first.rows[0]!.id)));
    const second = await listRecommendations(run, filter, { after: first.next, before: null });
    expect(second.rows.some((r) => first.rows.some((f) => f.id === r.id))).toBe(false);
    expect(second.total).toBe(first.total - 1);
    await db.update(recommendations).set({ status: "pending" }).where(sql`${recommendations.id} = ${first.rows[0]!.id}`);
  });
});
