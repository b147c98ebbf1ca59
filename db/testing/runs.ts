/** What the engine's tests share: starting an SEO audit, reading a run, waiting for a state. */
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, type Execution } from "@/db/schema";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { startExecution } from "@/lib/executions/start";

/** Queues an SEO audit of pages and products, at most `maxItems` of them. */
export async function startSeoAudit(ctx: Ctx, maxItems: number): Promise<string> {
  const started = await startExecution(ctx, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems }, includePages: true, includeProducts: true } });
  if (!started.ok) throw new Error(started.message);
  return started.executionId;
}

export async function executionById(id: string): Promise<Execution> {
  const db = await getDb();
  const [row] = await db.select().from(executions).where(eq(executions.id, id));
  if (!row) throw new Error(`No execution ${id}`);
  return row;
}

/** The seed leaves runs in progress that nobody holds: settles them, so a test's balances and sweeps see only its own. */
export async function settleSeededRuns(): Promise<void> {
  const db = await getDb();
  const unfinished = await db.select({ id: executions.id, workspaceId: executions.workspaceId }).from(executions).where(sql`${executions.status} in ('queued', 'running')`);
  await Promise.all(unfinished.map((e) => runExecutionInProcess({ executionId: e.id, workspaceId: e.workspaceId })));
}

/** Polls `check` until it holds, failing after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
