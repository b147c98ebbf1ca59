import { InngestTestEngine } from "@inngest/test";
import { asOneFunctionRun } from "@/inngest/test-engine";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { startExecution } from "@/lib/executions/start";
import { events } from "../client";
import { runAgentFunction } from "./run-agent";

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
});
