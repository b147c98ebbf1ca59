import { and, asc, count, desc, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionItems, executions, recommendations, type Execution } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { visibleExecutions } from "@/lib/executions/visibility";
import { findPreviousRun } from "@/lib/executions/previous-run";
import { compareExecutions, settingDifferences, trendRunLimit, type Comparison } from "./compare";
import { compareHref, parseCompareRequest, type CompareRequest } from "./compare-request";

let admin: Ctx;
let maya: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, globexAdmin } = await seededPeople()));

/** Completed runs of `agentId` in `ctx`'s workspace, the oldest (or newest) `limit`, oldest first. */
async function finishedRuns(ctx: Ctx, agentId: string, limit: number, where = sql`true`, from: "oldest" | "newest" = "oldest"): Promise<Execution[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(executions)
    .where(and(eq(executions.workspaceId, ctx.workspaceId), eq(executions.agentId, agentId), eq(executions.status, "completed"), isNull(executions.archivedAt), where))
    .orderBy(...(from === "oldest" ? [asc(executions.createdAt), asc(executions.id)] : [desc(executions.createdAt), desc(executions.id)]))
    .limit(limit);
  expect(rows, "the seed has what this test needs").toHaveLength(limit);
  return from === "oldest" ? rows : rows.reverse();
}

async function compared(ctx: Ctx, request: CompareRequest): Promise<Comparison> {
  const result = await compareExecutions(ctx, request);
  if (!result.ok) throw new Error(`comparison refused: ${result.message}`);
  return result.comparison;
}

describe("comparing executions", () => {
  it("puts two SEO audits side by side, oldest first, with metric deltas coloured by what better means", async () => {
    const [older, newer] = await finishedRuns(admin, "seo-audit", 2);
    // Like with like: the two runs had the same settings and scope.
    const db = await getDb();
    await db.update(executions).set({ settings: older!.settings, itemsProcessed: older!.itemsProcessed }).where(eq(executions.id, newer!.id));
    const comparison = await compared(admin, { ids: [newer!.id, older!.id], periodDays: 90 });
    expect(comparison.agentName).toBe("SEO audit");
    expect(comparison.runs.map((r) => r.id)).toEqual([older!.id, newer!.id]);
    const average = comparison.measures.find((m) => m.key === "average_score")!;
    const below = comparison.measures.find((m) => m.key === "items_below_50")!;
    expect(average.isHigherBetter).toBe(true);
    expect(below.isHigherBetter).toBe(false);
    for (const measure of [average, below]) {
      const [before, after] = measure.values as [number, number];
      const delta = measure.deltas[1]!;
      expect(delta.amount).toBeCloseTo(after - before);
      const expected = after === before ? "unchanged" : (after > before) === measure.isHigherBetter ? "better" : "worse";
      expect(delta.verdict).toBe(expected);
      expect(measure.deltas[0]).toBeNull();
    }
  });

  it("compares runs of different scope as rates per item, says so beside each metric, and calls nothing better or worse", async () => {
    const runs = await finishedRuns(admin, "seo-audit", 12, sql`true`, "newest");
    const pair = runs.flatMap((run, n) => (n > 0 && run.itemsProcessed !== runs[n - 1]!.itemsProcessed ? [[runs[n - 1]!, run] as const] : []))[0];
    expect(pair, "the seed has two audits of different sizes").toBeDefined();
    const [older, newer] = pair!;
    const comparison = await compared(admin, { ids: [older.id, newer.id], periodDays: 90 });
    for (const measure of comparison.measures) {
      expect(measure.basisNote).toMatch(/^Runs differ in settings, scope or period/);
      expect(["changed", "unchanged"]).toContain(measure.deltas[1]?.verdict);
    }
    const below = comparison.measures.find((m) => m.key === "items_below_50")!;
    const [before, after] = below.values as [number, number];
    const perItem = (value: number, items: number) => Math.round((value / items) * 100) / 100;
    expect(below.deltas[1]).toMatchObject({ per: "per item" });
    expect(below.deltas[1]!.amount).toBeCloseTo(perItem(after, newer.itemsProcessed) - perItem(before, older.itemsProcessed));
  });

  it("counts each run's recommendations by priority", async () => {
    const runs = await finishedRuns(admin, "seo-audit", 3);
    const comparison = await compared(admin, { ids: runs.map((r) => r.id), periodDays: 90 });
    const db = await getDb();
    for (const run of comparison.runs) {
      const rows = await db.select({ priority: recommendations.priority, n: count() }).from(recommendations).where(eq(recommendations.executionId, run.id)).groupBy(recommendations.priority);
      const expected = Object.fromEntries(rows.map((r) => [r.priority, r.n]));
      expect([run.recommendations.high, run.recommendations.medium, run.recommendations.low]).toEqual([expected.high ?? 0, expected.medium ?? 0, expected.low ?? 0]);
      expect(run.recommendations.total).toBe(rows.reduce((sum, r) => sum + r.n, 0));
    }
    expect(comparison.measures.every((m) => m.values.length === 3 && m.deltas.length === 3)).toBe(true);
  });

  it("lists the items whose score moved most between the oldest and the newest run, and new and resolved ones", async () => {
    const runs = await finishedRuns(admin, "seo-audit", 4);
    const [first, , , last] = runs;
    const comparison = await compared(admin, { ids: runs.map((r) => r.id), periodDays: 90 });
    const items = comparison.items!;
    expect([items.fromRunId, items.toRunId]).toEqual([first!.id, last!.id]);

    const db = await getDb();
    const itemsOf = (id: string) => db.select().from(executionItems).where(eq(executionItems.executionId, id));
    const before = new Map((await itemsOf(first!.id)).map((i) => [i.itemRef, i]));
    const after = (await itemsOf(last!.id)).filter((i) => i.outcome === "processed");
    const moves = after.filter((i) => before.get(i.itemRef)?.score != null && i.score != null).map((i) => ({ ref: i.itemRef, delta: i.score! - before.get(i.itemRef)!.score! }));
    const improved = moves.filter((m) => m.delta > 0);
    const regressed = moves.filter((m) => m.delta < 0);
    expect(items.improved.total).toBe(improved.length);
    expect(items.regressed.total).toBe(regressed.length);
    expect(items.added.total).toBe(after.filter((i) => !before.has(i.itemRef)).length);
    // Largest moves first.
    const sizes = items.improved.items.map((i) => i.after! - i.before!);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    if (improved.length) expect(sizes[0]).toBe(Math.max(...improved.map((m) => m.delta)));
    expect(items.regressed.items.every((i) => i.after! < i.before!)).toBe(true);
    expect(items.added.items.every((i) => i.before === null && !before.has(i.itemRef))).toBe(true);

    const refsWithRecommendations = async (id: string) => new Set((await db.selectDistinct({ ref: recommendations.itemRef }).from(recommendations).where(eq(recommendations.executionId, id))).map((r) => r.ref));
    const [had, has] = await Promise.all([refsWithRecommendations(first!.id), refsWithRecommendations(last!.id)]);
    const resolved = after.filter((i) => before.has(i.itemRef) && had.has(i.itemRef) && !has.has(i.itemRef));
    expect(items.resolved.total).toBe(resolved.length);
    expect(items.resolved.items.map((i) => i.itemRef).every((ref) => resolved.some((r) => r.itemRef === ref))).toBe(true);
  });

  it("shows only the settings that differ, with readable names", () => {
    const differences = settingDifferences([
      { includePages: true, titleMaxLength: 60, scope: { mode: "all", maxItems: 20 } },
      { includePages: false, titleMaxLength: 60, scope: { mode: "collection", collection: "Shoes", maxItems: 20 } },
    ]);
    expect(differences).toEqual([
      { name: "includePages", label: "Include pages", values: ["true", "false"] },
      { name: "scope.mode", label: "Scope › mode", values: ["all", "collection"] },
      { name: "scope.collection", label: "Scope › collection", values: ["not set", "Shoes"] },
    ]);
  });

  it("draws the trend over every visible finished run of the agent in the period, capped at the newest 100", async () => {
    const [older, newer] = await finishedRuns(admin, "seo-audit", 2);
    const db = await getDb();
    const inPeriod = (days: number) => db.select({ n: count() }).from(executions).where(and(
      visibleExecutions(admin), eq(executions.agentId, "seo-audit"), inArray(executions.status, ["completed", "partial"]),
      gte(executions.createdAt, sql`now() - make_interval(days => ${days}::int)`),
    ));
    for (const periodDays of [30, 90, 365] as const) {
      const [{ n }] = (await inPeriod(periodDays)) as [{ n: number }];
      const { trend } = await compared(admin, { ids: [older!.id, newer!.id], periodDays });
      expect(trend.runCount).toBe(Math.min(n, trendRunLimit));
      expect(trend.isCapped).toBe(n > trendRunLimit);
      const chart = trend.charts.find((c) => c.key === "average_score")!;
      expect(chart.points.length).toBe(trend.runCount);
      const times = chart.points.map((p) => p.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.min(...times)).toBeGreaterThan(Date.now() - periodDays * 86_400_000 - 60_000);
    }
  });

  it("draws a member's trend from only the runs she can see", async () => {
    const [older, newer] = await finishedRuns(maya, "seo-audit", 2, eq(executions.triggeredBy, maya.userId), "newest");
    const { trend } = await compared(maya, { ids: [older!.id, newer!.id], periodDays: 365 });
    const db = await getDb();
    const visible = await db.select({ id: executions.id }).from(executions).where(and(
      visibleExecutions(maya), eq(executions.agentId, "seo-audit"), inArray(executions.status, ["completed", "partial"]),
      gte(executions.createdAt, sql`now() - make_interval(days => 365)`),
    )).orderBy(desc(executions.createdAt), desc(executions.id)).limit(trendRunLimit);
    const drawn = trend.charts.find((c) => c.key === "average_score")!.points.map((p) => p.executionId);
    expect(drawn.length).toBeGreaterThan(1);
    expect(new Set(drawn)).toEqual(new Set(visible.map((v) => v.id)));
  });

  it("offers recent runs of the same agent to add, marking the compared ones", async () => {
    const [, last] = await finishedRuns(admin, "seo-audit", 2);
    const db = await getDb();
    const [newest] = await db.select({ id: executions.id }).from(executions)
      .where(and(visibleExecutions(admin), eq(executions.agentId, "seo-audit"), inArray(executions.status, ["completed", "partial"]), ne(executions.id, last!.id)))
      .orderBy(desc(executions.createdAt)).limit(1);
    const comparison = await compared(admin, { ids: [last!.id, newest!.id], periodDays: 90 });
    expect(comparison.recentRuns[0]?.id).toBe(newest!.id);
    expect(comparison.recentRuns[0]?.isCompared).toBe(true);
    expect(comparison.recentRuns.filter((r) => !r.isCompared).length).toBeGreaterThan(0);
  });

  it("compares the description writer's generated texts and apply rates", async () => {
    const [older, newer] = await finishedRuns(admin, "product-description-writer", 2, sql`true`, "newest");
    const db = await getDb();
    const texts = await db.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.executionId, newer!.id)).orderBy(asc(recommendations.id));
    expect(texts.length).toBeGreaterThan(1);
    await db.update(recommendations).set({ status: "applied", appliedAt: new Date() }).where(inArray(recommendations.id, texts.slice(0, 1).map((t) => t.id)));
    await db.update(recommendations).set({ status: "pending" }).where(eq(recommendations.executionId, older!.id));

    const comparison = await compared(admin, { ids: [older!.id, newer!.id], periodDays: 365 });
    expect(comparison.items).toBeNull();
    const measure = (key: string) => comparison.measures.find((m) => m.key === key)!;
    expect(measure("texts_written").values[1]).toBe(texts.length);
    expect(measure("texts_written").isHigherBetter).toBeNull();
    expect(measure("texts_applied").values).toEqual([0, 1]);
    expect(measure("apply_rate").values).toEqual([0, Math.round((1 / texts.length) * 1000) / 10]);
    expect(measure("apply_rate").deltas[1]?.verdict).toBe("better");
    const rateChart = comparison.trend.charts.find((c) => c.key === "apply_rate")!;
    expect(rateChart.points.find((p) => p.executionId === newer!.id)?.value).toBe(Math.round((1 / texts.length) * 1000) / 10);
  });

  it("compares analytics reviews by their store metrics, without item changes", async () => {
    const runs = await finishedRuns(admin, "analytics-review", 2);
    const comparison = await compared(admin, { ids: runs.map((r) => r.id), periodDays: 90 });
    expect(comparison.items).toBeNull();
    expect(comparison.measures.map((m) => m.key)).toEqual(["conversion_rate", "average_order_value", "sessions", "bounce_rate"]);
    expect(comparison.measures.find((m) => m.key === "bounce_rate")?.isHigherBetter).toBe(false);
  });

  it("compares performance audits", async () => {
    const runs = await finishedRuns(admin, "performance-audit", 2);
    const comparison = await compared(admin, { ids: runs.map((r) => r.id), periodDays: 365 });
    expect(comparison.measures.map((m) => m.key)).toContain("average_page_weight_kb");
    expect(comparison.items).not.toBeNull();
  });

  it("refuses runs of different agents with a clear message", async () => {
    const [audit] = await finishedRuns(admin, "seo-audit", 1);
    const [review] = await finishedRuns(admin, "analytics-review", 1);
    const result = await compareExecutions(admin, { ids: [audit!.id, review!.id], periodDays: 90 });
    expect(result).toMatchObject({ ok: false, code: "invalid_input" });
    expect(!result.ok && result.message).toMatch(/one agent.*SEO audit and Analytics review/);

    const [perf] = await finishedRuns(admin, "performance-audit", 1);
    const three = await compareExecutions(admin, { ids: [review!.id, perf!.id, audit!.id], periodDays: 90 });
    expect(!three.ok && three.message).toMatch(/runs of Analytics review, Performance audit, and SEO audit\./);
  });

  it("answers not found for ids the person cannot see, exactly as for ids that do not exist", async () => {
    const [audit] = await finishedRuns(admin, "seo-audit", 1);
    const [foreign] = await finishedRuns(globexAdmin, "seo-audit", 1);
    const foreignResult = await compareExecutions(admin, { ids: [audit!.id, foreign!.id], periodDays: 90 });
    const missingResult = await compareExecutions(admin, { ids: [audit!.id, "7c0e7b8a-1f0e-4b6b-9a3e-2f9d1c0b5a41"], periodDays: 90 });
    expect(foreignResult).toMatchObject({ ok: false, code: "not_found" });
    expect(foreignResult).toEqual(missingResult);

    // Maya sees her own runs, not the admin's unshared ones.
    const [mine] = await finishedRuns(maya, "seo-audit", 1, eq(executions.triggeredBy, maya.userId));
    const [adminsOwn] = await finishedRuns(admin, "seo-audit", 1, sql`${executions.triggeredBy} = ${admin.userId} and not exists (select 1 from shares s where s.execution_id = ${executions.id})`);
    expect(await compareExecutions(maya, { ids: [mine!.id, adminsOwn!.id], periodDays: 90 })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("reads the request from the URL and says what is wrong with a bad link", () => {
    const [a, b, c, d, e, f] = ["1", "2", "3", "4", "5", "6"].map((n) => `7c0e7b8a-1f0e-4b6b-9a3e-2f9d1c0b5a4${n}`);
    expect(parseCompareRequest({ ids: `${a},${b}` })).toEqual({ ok: true, request: { ids: [a, b], periodDays: 90 } });
    expect(parseCompareRequest(new URLSearchParams(compareHref([a!, b!, c!], 365).split("?")[1]))).toEqual({ ok: true, request: { ids: [a, b, c], periodDays: 365 } });
    expect(parseCompareRequest({})).toMatchObject({ ok: false, code: "invalid_input", message: "Choose two to five executions to compare." });
    expect(parseCompareRequest({ ids: `${a},${a}` })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(parseCompareRequest({ ids: [a, b, c, d, e, f].join(",") })).toMatchObject({ ok: false, message: "Compare at most 5 executions at a time; this link has 6." });
    expect(parseCompareRequest({ ids: `${a},not-an-id` })).toMatchObject({ ok: false, message: expect.stringContaining("“not-an-id” is not an execution ID") });
    expect(parseCompareRequest({ ids: `${a},${b}`, period: "7" })).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("finds the previous finished run of the same agent to compare a run with", async () => {
    const [first, second] = await finishedRuns(admin, "seo-audit", 2);
    const db = await getDb();
    const between = await db.select({ id: executions.id }).from(executions).where(and(
      visibleExecutions(admin), eq(executions.agentId, "seo-audit"), inArray(executions.status, ["completed", "partial"]),
      sql`${executions.createdAt} > ${first!.createdAt.toISOString()}::timestamptz and ${executions.createdAt} < ${second!.createdAt.toISOString()}::timestamptz`,
    ));
    expect(between).toEqual([]);
    expect((await findPreviousRun(admin, second!))?.id).toBe(first!.id);
    const [veryFirst] = await db.select({ id: executions.id, agentId: executions.agentId, createdAt: executions.createdAt }).from(executions)
      .where(and(visibleExecutions(admin), eq(executions.agentId, "seo-audit"))).orderBy(asc(executions.createdAt)).limit(1);
    expect(await findPreviousRun(admin, veryFirst!)).toBeNull();
  });
});
