import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions, memberships, users, workspaces } from "@/db/schema";
import { startExecution } from "@/lib/executions/start";
import { events } from "../client";
import { runAgentFunction } from "./run-agent";

describe("the run-agent Inngest function", () => {
  it("runs a queued execution to completion through its durable steps", async () => {
    const db = await getDb();
    const [admin] = await db
      .select({ userId: users.id, workspaceId: workspaces.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
      .where(and(eq(users.email, "admin@acme.test"), eq(workspaces.slug, "acme")));
    const started = await startExecution({ ...admin!, role: "admin" }, { agentId: "performance-audit", settings: { scope: { mode: "all", maxItems: 12 }, device: "mobile" } });
    if (!started.ok) throw new Error(started.message);

    const engine = new InngestTestEngine({ function: runAgentFunction });
    const { result, error } = await engine.execute({
      events: [{ name: events.executionQueued, data: { executionId: started.executionId, workspaceId: admin!.workspaceId } }],
    });
    expect(error).toBeUndefined();
    expect(result).toEqual({ executionId: started.executionId, status: "finished" });
    const [row] = await db.select().from(executions).where(eq(executions.id, started.executionId));
    expect(row).toMatchObject({ status: "completed", itemsProcessed: 12, creditsCharged: 5 + 3 * 12 });
    expect(row!.preview).toMatch(/^Avg performance score \d+ · \d+ heavy images?$/);
  });
});
