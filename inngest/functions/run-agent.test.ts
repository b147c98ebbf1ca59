import { InngestTestEngine } from "@inngest/test";
import { asOneFunctionRun } from "@/inngest/test-engine";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { startExecution } from "@/lib/executions/start";
import { events } from "../client";
import { maxBatchSteps, planBatchSteps, runAgent, runAgentFunction } from "./run-agent";
import type { RunStep } from "../client";
import { batchCountOf } from "@/lib/executions/engine";

describe("the run-agent Inngest function", () => {
  it("runs a queued execution to completion through its durable steps", async () => {
    const db = await getDb();
    const admin = await seededCtx("admin@acme.test");
    const started = await startExecution(admin, { agentId: "performance-audit", settings: { scope: { mode: "all", maxItems: 12 }, device: "mobile" } });
    if (!started.ok) throw new Error(started.message);

    const engine = new InngestTestEngine({ function: runAgentFunction.definition, transformCtx: asOneFunctionRun });
    const { result, error } = await engine.execute({
      events: [{ name: events.executionQueued.name, data: { executionId: started.executionId, workspaceId: admin.workspaceId } }],
      // The test engine would really send the event to Inngest; it stands in for Inngest's answer.
      steps: [{ id: "announce-finished", handler: () => ({ ids: ["evt"] }) }],
    });
    expect(error).toBeUndefined();
    expect(result).toEqual({ executionId: started.executionId, status: "finished" });
    const [row] = await db.select().from(executions).where(eq(executions.id, started.executionId));
    expect(row).toMatchObject({ status: "completed", itemsProcessed: 12, creditsCharged: 5 + 3 * 12 });
    expect(row!.preview).toMatch(/^Avg performance score \d+ · \d+ heavy images?$/);
  });

  it("plans a run of a million items within Inngest's limits: under 1,000 steps, each result tiny", async () => {
    const itemsTotal = 1_000_000;
    const batchCount = batchCountOf({ itemsTotal });
    // Inngest's side of the run, without the work: every step "succeeds" as the engine would answer.
    const steps: { id: string; resultBytes: number }[] = [];
    const covered: number[] = [];
    const step: RunStep = {
      async run(id) {
        const result = id === "begin" ? { shouldRun: true, batchCount, batchesDone: 0 } : id.startsWith("batches-") ? { shouldContinue: true } : id.endsWith("-check") ? true : null;
        const range = /^batches-(\d+)-(\d+)$/.exec(id);
        if (range) for (let batch = Number(range[1]); batch <= Number(range[2]); batch++) covered.push(batch);
        steps.push({ id, resultBytes: JSON.stringify(result).length });
        return result as never;
      },
      async sendEvent(id) {
        steps.push({ id, resultBytes: 20 });
        return { ids: ["evt"] };
      },
    };
    const result = await runAgent({ event: { data: { executionId: "00000000-0000-4000-8000-000000000001", workspaceId: "w" } }, step, runId: "01-a-function-run" });
    expect(result).toMatchObject({ status: "finished" });
    expect(steps.length).toBeLessThanOrEqual(1000);
    expect(new Set(steps.map((s) => s.id)).size).toBe(steps.length);
    // Every batch in exactly one step, in order.
    expect(covered).toEqual(Array.from({ length: batchCount }, (_, n) => n + 1));
    expect(Math.max(...steps.map((s) => s.resultBytes))).toBeLessThan(4 * 1024 * 1024);
    expect(steps.reduce((sum, s) => sum + s.resultBytes, 0)).toBeLessThan(32 * 1024 * 1024);
    expect(planBatchSteps(batchCount, 0).length).toBeLessThanOrEqual(maxBatchSteps);
    // A run resumed late plans only what is left.
    expect(planBatchSteps(batchCount, batchCount - 3)).toEqual([{ first: batchCount - 3, last: batchCount - 1 }]);
    expect(planBatchSteps(batchCount, batchCount)).toEqual([]);
  });
});
