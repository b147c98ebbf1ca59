import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionResults, executions, type Execution } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { comparableStatuses, findPreviousRun } from "@/lib/executions/previous-run";
import { visibleExecutions } from "@/lib/executions/visibility";
import { scoresPayload } from "./payloads";
import { getExecutionResults } from "./queries";

let admin: Ctx;
let maya: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, globexAdmin } = await seededPeople()));

/** Completed SEO audits `ctx` started, oldest first. */
async function seoAudits(ctx: Ctx, limit: number): Promise<Execution[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(executions)
    .where(and(eq(executions.workspaceId, ctx.workspaceId), eq(executions.triggeredBy, ctx.userId), eq(executions.agentId, "seo-audit"), eq(executions.status, "completed"), isNull(executions.archivedAt)))
    .orderBy(asc(executions.createdAt), asc(executions.id))
    .limit(limit);
  expect(rows, "the seed has what this test needs").toHaveLength(limit);
  return rows;
}

describe("an execution's results", () => {
  it("come in their order, each readable", async () => {
    const [audit] = await seoAudits(admin, 1);
    const blocks = await getExecutionResults(admin, audit!.id);
    expect(blocks?.map((b) => [b.kind, b.isReadable])).toEqual([["scores", true], ["recommendations", true], ["report", true], ["action_items", true]]);
  });

  it("say a block is unreadable when its payload fails its schema, and still show the rest", async () => {
    const [audit] = await seoAudits(admin, 1);
    const db = await getDb();
    await db.update(executionResults).set({ payload: { summary: 42, charts: "bars" } }).where(and(eq(executionResults.executionId, audit!.id), eq(executionResults.kind, "report")));
    const blocks = await getExecutionResults(admin, audit!.id);
    expect(blocks?.find((b) => b.kind === "report")?.isReadable).toBe(false);
    expect(blocks?.filter((b) => b.isReadable).map((b) => b.kind)).toEqual(["scores", "recommendations", "action_items"]);
  });

  it("compare scores with the previous run by the one rule the Compare button uses, partial runs included", async () => {
    const db = await getDb();
    // A run of Maya's whose previous run (that she can see) is a partial one.
    const runs = await db.select().from(executions)
      .where(and(visibleExecutions(maya), eq(executions.agentId, "seo-audit"), inArray(executions.status, ["completed", "partial"])))
      .orderBy(asc(executions.createdAt), asc(executions.id));
    const index = runs.findIndex((run, n) => n > 0 && run.status === "completed" && runs[n - 1]!.status === "partial");
    expect(index, "the seed has a completed run right after a partial one").toBeGreaterThan(0);
    const [previous, audit] = [runs[index - 1]!, runs[index]!];
    expect((await findPreviousRun(maya, audit))?.id).toBe(previous.id);
    const [expected] = await db.select({ payload: executionResults.payload }).from(executionResults)
      .where(and(eq(executionResults.executionId, previous.id), eq(executionResults.kind, "scores")));
    const before = scoresPayload.parse(expected!.payload).metrics;

    const blocks = await getExecutionResults(maya, audit.id);
    const scores = blocks?.find((b) => b.kind === "scores");
    if (!scores?.isReadable || scores.kind !== "scores") throw new Error("scores are not readable");
    expect(scores.previousRun?.id).toBe(previous.id);
    expect(scores.metrics.map((m) => [m.key, m.previous])).toEqual(before.map((m) => [m.key, m.value]));
  });

  it("say when the previous run had another period, and compare counts per day rather than totals", async () => {
    const db = await getDb();
    const reviews = await db.select().from(executions)
      .where(and(visibleExecutions(admin), eq(executions.agentId, "analytics-review"), inArray(executions.status, ["completed", "partial"])))
      .orderBy(asc(executions.createdAt), asc(executions.id));
    const periodOf = (run: Execution) => (run.settings as { periodDays: number }).periodDays;
    const index = reviews.findIndex((run, n) => n > 0 && periodOf(run) === 30 && periodOf(reviews[n - 1]!) === 14);
    expect(index, "the seed has a 30-day review right after a 14-day one").toBeGreaterThan(0);
    const [fortnight, month] = [reviews[index - 1]!, reviews[index]!];
    const scores = (await getExecutionResults(admin, month.id))?.find((b) => b.kind === "scores");
    if (!scores?.isReadable || scores.kind !== "scores") throw new Error("scores are not readable");
    expect(scores.previousRun?.id).toBe(fortnight.id);
    expect(scores.basisDifferences).toContain("Period: 30 vs 14 days");
    const sessions = scores.metrics.find((m) => m.key === "sessions")!;
    expect(sessions.rate).toEqual({ unit: "per day", value: Math.round((sessions.value / month.itemsProcessed) * 100) / 100, previous: Math.round((sessions.previous! / fortnight.itemsProcessed) * 100) / 100 });
    // A rate is not a count over the period: it has none.
    expect(scores.metrics.find((m) => m.key === "conversion_rate")!.rate).toBeNull();

    const sameBasis = reviews.findIndex((run, n) => n > 0 && periodOf(run) === periodOf(reviews[n - 1]!) && run.itemsProcessed === reviews[n - 1]!.itemsProcessed && JSON.stringify(run.settings) === JSON.stringify(reviews[n - 1]!.settings));
    const alike = (await getExecutionResults(admin, reviews[sameBasis]!.id))?.find((b) => b.kind === "scores");
    if (!alike?.isReadable || alike.kind !== "scores") throw new Error("scores are not readable");
    expect(alike.basisDifferences).toEqual([]);
    expect(alike.metrics.every((m) => m.rate === null)).toBe(true);
  });

  it("have nothing to compare with on the workspace's first run of the agent", async () => {
    const db = await getDb();
    const [first] = await db.select({ id: executions.id }).from(executions)
      .where(and(eq(executions.workspaceId, globexAdmin.workspaceId), eq(executions.agentId, "seo-audit"), inArray(executions.status, [...comparableStatuses])))
      .orderBy(asc(executions.createdAt), asc(executions.id))
      .limit(1);
    const scores = (await getExecutionResults(globexAdmin, first!.id))?.find((b) => b.kind === "scores");
    if (!scores?.isReadable || scores.kind !== "scores") throw new Error("scores are not readable");
    expect(scores.previousRun).toBeNull();
    expect(scores.metrics.every((m) => m.previous === null)).toBe(true);
  });

  it("are not there for another workspace's execution", async () => {
    const [foreign] = await seoAudits(globexAdmin, 1);
    expect(await getExecutionResults(admin, foreign!.id)).toBeNull();
    expect(await getExecutionResults(admin, "not-an-id")).toBeNull();
  });
});
