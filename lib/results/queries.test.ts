import { and, asc, desc, eq, isNull, lt } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionResults, executions, type Execution } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
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

  it("compare scores with the previous completed run of the same agent that the person can see", async () => {
    const [, audit] = await seoAudits(maya, 2);
    const db = await getDb();
    const [expected] = await db
      .select({ id: executions.id, payload: executionResults.payload })
      .from(executions)
      .innerJoin(executionResults, and(eq(executionResults.executionId, executions.id), eq(executionResults.kind, "scores")))
      .where(and(visibleExecutions(maya), eq(executions.agentId, "seo-audit"), eq(executions.status, "completed"), lt(executions.createdAt, audit!.createdAt)))
      .orderBy(desc(executions.createdAt))
      .limit(1);
    const before = scoresPayload.parse(expected!.payload).metrics;

    const blocks = await getExecutionResults(maya, audit!.id);
    const scores = blocks?.find((b) => b.kind === "scores");
    if (!scores?.isReadable || scores.kind !== "scores") throw new Error("scores are not readable");
    expect(scores.previousRun?.id).toBe(expected!.id);
    expect(scores.metrics.map((m) => [m.key, m.previous])).toEqual(before.map((m) => [m.key, m.value]));
  });

  it("have nothing to compare with on the workspace's first run of the agent", async () => {
    const db = await getDb();
    const [first] = await db.select({ id: executions.id }).from(executions)
      .where(and(eq(executions.workspaceId, globexAdmin.workspaceId), eq(executions.agentId, "seo-audit"), eq(executions.status, "completed")))
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
