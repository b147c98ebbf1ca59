/**
 * A small factory for export tests: one finished execution with exactly the rows a test
 * names, in a seeded workspace.
 */
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { indexRunsForSearch } from "@/lib/executions/search";
import { actionItems, executionItems, executionLogs, executionResults, executions, recommendations, type Execution } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";

export type RecommendationText = { itemLabel: string; field?: string; before: string | null; after: string; rationale: string; priority?: "high" | "medium" | "low" };

export async function createFinishedExecution(
  ctx: Ctx,
  input: {
    agentId?: string;
    status?: Execution["status"];
    recommendations?: RecommendationText[];
    items?: { itemRef: string; itemLabel: string; outcome: "processed" | "failed" | "skipped"; reason?: string; score?: number }[];
    logs?: { level?: "info" | "warn" | "error"; step: string; message: string; data?: Record<string, unknown> }[];
    actionItems?: { title: string; detail: string; priority?: "high" | "medium" | "low" }[];
    results?: { kind: "report" | "scores" | "recommendations" | "action_items" | "generated_content"; title: string; payload: Record<string, unknown> }[];
  },
): Promise<Execution> {
  const db = await getDb();
  const startedAt = new Date("2026-03-31T09:15:00Z");
  const [execution] = await db
    .insert(executions)
    .values({
      workspaceId: ctx.workspaceId, agentId: input.agentId ?? "seo-audit", agentVersion: "1.4.0", status: input.status ?? "completed",
      settings: { checks: ["titles", "meta"], note: "Réglages — 日本語" }, scope: { mode: "all", maxItems: 500 },
      itemsTotal: input.items?.length ?? 0, itemsProcessed: input.items?.filter((i) => i.outcome === "processed").length ?? 0,
      itemsFailed: input.items?.filter((i) => i.outcome === "failed").length ?? 0, creditsReserved: 50, creditsCharged: 40, creditsRefunded: 10,
      preview: "Test run", triggeredBy: ctx.userId, createdAt: startedAt, startedAt, finishedAt: new Date(startedAt.getTime() + 65_000),
    })
    .returning();
  const id = execution!.id;
  const recs = input.recommendations ?? [];
  for (let i = 0; i < recs.length; i += 1000) {
    await db.insert(recommendations).values(
      recs.slice(i, i + 1000).map((r, j) => ({
        executionId: id, workspaceId: ctx.workspaceId, itemType: "page", itemRef: `page:${i + j}`, itemLabel: r.itemLabel, field: r.field ?? "title",
        beforeValue: r.before, afterValue: r.after, priority: r.priority ?? (["high", "medium", "low"] as const)[(i + j) % 3]!, rationale: r.rationale,
      })),
    );
  }
  if (input.items?.length) {
    await db.insert(executionItems).values(input.items.map((item) => ({ executionId: id, workspaceId: ctx.workspaceId, itemType: "page", ...item })));
  }
  if (input.logs?.length) {
    await db.insert(executionLogs).values(input.logs.map((line, seq) => ({ executionId: id, workspaceId: ctx.workspaceId, seq: seq + 1, level: line.level ?? "info", step: line.step, message: line.message, data: line.data })));
  }
  if (input.actionItems?.length) {
    await db.insert(actionItems).values(input.actionItems.map((a, position) => ({ executionId: id, workspaceId: ctx.workspaceId, position, priority: a.priority ?? "medium", title: a.title, detail: a.detail })));
  }
  if (input.results?.length) {
    await db.insert(executionResults).values(input.results.map((r, position) => ({ executionId: id, workspaceId: ctx.workspaceId, position, ...r })));
  }
  await indexRunsForSearch(db, sql`e.id = ${id}`);
  return execution!;
}

/** Everything a stream holds, as one buffer (tests only: real downloads never do this). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(parts);
    parts.push(value);
  }
}
