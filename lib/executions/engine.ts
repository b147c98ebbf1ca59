/**
 * Runs an execution in steps that each commit on their own: begin, one step per batch of
 * items, finish. Every step is idempotent (a retried or resumed step does nothing twice),
 * so the same functions serve Inngest's durable steps and the in-process runner, and a
 * crashed run continues after its last committed batch.
 */
import { and, count, eq, max, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { insertJsonRows } from "@/db/json-rows";
import {
  actionItems, creditLedger, executionItems, executionLogs, executionResults, executions, platformConnections, recommendations,
  type Execution, type ExecutionErrorCode,
} from "@/db/schema";
import type { ItemAnalysis, ItemFailure, ProcessedItem, Todo } from "@/lib/agents/agent";
import { agentCatalog, isAgentId } from "@/lib/agents/catalog";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import { moveCredits } from "@/lib/credits/ledger";
import { addUsage, chargedMemberOf } from "@/lib/credits/usage";
import { PlatformError, type StoreItem } from "@/lib/platforms/adapter";
import { adapterFor } from "@/lib/platforms";
import { failureStories } from "./failure-stories";

export const batchSize = 200;
/** A platform call that takes longer than this fails the step with `timeout`. */
function stepTimeoutMs(): number {
  return Number(process.env.RUNLOG_STEP_TIMEOUT_MS || 15_000);
}
const rateLimitRetries = 5;

export type BeginResult = { shouldRun: false } | { shouldRun: true; batchCount: number; batchesDone: number };

export async function beginExecution(executionId: string): Promise<BeginResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const execution = await lockExecution(tx, executionId);
    if (!execution || (execution.status !== "queued" && execution.status !== "running")) return { shouldRun: false };
    const batchCount = Math.ceil(execution.itemsTotal / batchSize);
    if (execution.status === "queued") {
      await tx.update(executions).set({ status: "running", startedAt: sql`now()`, heartbeatAt: sql`now()` }).where(eq(executions.id, executionId));
      const agent = isAgentId(execution.agentId) ? agentCatalog[execution.agentId] : null;
      await appendLog(tx, execution, "info", "start", `Started ${agent?.name ?? execution.agentId} v${execution.agentVersion} on ${execution.itemsTotal} items`, { scope: execution.scope });
    } else {
      await appendLog(tx, execution, "warn", "resume", `Resumed after an interruption, from batch ${execution.batchesDone + 1} of ${batchCount}`);
    }
    return { shouldRun: true, batchCount, batchesDone: execution.batchesDone };
  });
}

export type BatchResult = { shouldContinue: boolean };

export async function processBatch(executionId: string, batchIndex: number): Promise<BatchResult> {
  const db = await getDb();
  const [execution] = await db.select().from(executions).where(eq(executions.id, executionId));
  if (!execution || execution.status !== "running") return { shouldContinue: false };
  if (execution.batchesDone > batchIndex) return { shouldContinue: true };
  if (execution.cancelRequestedAt) {
    await cancelRunningExecution(executionId);
    return { shouldContinue: false };
  }
  if (!isAgentId(execution.agentId)) {
    await failExecution(executionId, "invalid_settings", `Unknown agent ${execution.agentId}`);
    return { shouldContinue: false };
  }
  const agent = getAgent(execution.agentId);
  const parsed = agent.settingsSchema.safeParse(execution.settings);
  const [connection] = execution.connectionId
    ? await db.select().from(platformConnections).where(eq(platformConnections.id, execution.connectionId))
    : [];
  if (!parsed.success) {
    await failExecution(executionId, "invalid_settings", parsed.error.issues[0]?.message);
    return { shouldContinue: false };
  }
  if (!connection) {
    await failExecution(executionId, "connection_lost", "The store connection was removed.");
    return { shouldContinue: false };
  }
  const adapter = adapterFor(connection);
  const remaining = execution.itemsTotal - execution.itemsProcessed - execution.itemsFailed;
  const started = Date.now();
  let items: StoreItem[];
  let context: unknown;
  try {
    const query = agent.itemQuery(parsed.data, execution.createdAt);
    items = await withPlatformRetries(() => adapter.listItems(query, execution.itemCursor, Math.min(batchSize, remaining)));
    context = await agent.loadContext?.(connection.id);
  } catch (error) {
    if (error instanceof PlatformError) {
      await failExecution(executionId, error.code, error.message);
      return { shouldContinue: false };
    }
    throw error;
  }
  if (items.length === 0 && execution.itemsProcessed === 0) {
    await failExecution(executionId, "insufficient_data", "No items in scope when the run started.");
    return { shouldContinue: false };
  }
  // Only what gets written is kept, so the items' fields (a page's whole body) can be freed
  // before the batch is written rather than outlive it in the old generation.
  const analyses: Analyzed[] = items.map((item) => ({
    item: { type: item.type, ref: item.ref, label: item.label, key: item.key },
    analysis: analyzeSafely(() => agent.analyze(item, parsed.data, context)),
  }));
  const elapsedMs = Date.now() - started;

  const progress = await db.transaction(async (tx) => {
    const locked = await lockExecution(tx, executionId);
    // The run ended meanwhile, or another attempt of this step got here first.
    if (!locked || locked.status !== "running") return null;
    if (locked.batchesDone !== batchIndex) return locked;
    return writeBatch(tx, locked, analyses, batchIndex, elapsedMs);
  });
  return { shouldContinue: analyses.length > 0 && !!progress && progress.itemsProcessed + progress.itemsFailed < progress.itemsTotal };
}

type Analyzed = { item: Pick<StoreItem, "type" | "ref" | "label" | "key">; analysis: ItemAnalysis | ItemFailure };

/** One item's trouble fails that item, never the run. */
function analyzeSafely(run: () => ItemAnalysis | ItemFailure): ItemAnalysis | ItemFailure {
  try {
    return run();
  } catch (error) {
    return { outcome: "failed", reason: error instanceof Error ? error.message : "The item could not be analysed." };
  }
}

type Progress = Pick<Execution, "itemsProcessed" | "itemsFailed" | "itemsTotal">;

async function writeBatch(tx: Tx, execution: Execution, analyzed: Analyzed[], batchIndex: number, elapsedMs: number): Promise<Progress> {
  const batchCount = Math.ceil(execution.itemsTotal / batchSize);
  const step = `batch ${batchIndex + 1}/${batchCount}`;
  const base = { executionId: execution.id, workspaceId: execution.workspaceId };
  const itemRows = analyzed.map(({ item, analysis }) =>
    analysis.outcome === "failed"
      ? { ...base, itemType: item.type, itemRef: item.ref, itemLabel: item.label, outcome: "failed" as const, reason: analysis.reason }
      : { ...base, itemType: item.type, itemRef: item.ref, itemLabel: item.label, outcome: analysis.outcome, score: analysis.score, data: analysis.data ?? null },
  );
  // An item already recorded (a resumed run re-reading its last batch) counts once.
  const insertedRows = await insertJsonRows(tx, executionItems, itemRows, { onConflictDoNothing: true, returning: [executionItems.itemRef] });
  const inserted = new Set(insertedRows.map((row) => row.item_ref));
  const fresh = analyzed.filter(({ item }) => inserted.has(item.ref));
  const recommendationRows: (typeof recommendations.$inferInsert)[] = [];
  const todos: Todo[] = [];
  const logLines: LogLine[] = [];
  let failed = 0;
  for (const { item, analysis } of fresh) {
    if (analysis.outcome === "failed") {
      failed++;
      logLines.push({ level: "warn", step, message: `Could not process “${item.label}”: ${analysis.reason}`, data: { itemRef: item.ref } });
      continue;
    }
    for (const change of analysis.changes) {
      recommendationRows.push({
        ...base, origin: change.origin, itemType: item.type, itemRef: item.ref, itemLabel: item.label, field: change.field,
        beforeValue: change.before, afterValue: change.after, priority: change.priority, rationale: change.rationale,
      });
    }
    todos.push(...analysis.todos);
  }
  await insertJsonRows(tx, recommendations, recommendationRows);
  await addUsage(tx, { workspaceId: execution.workspaceId, agentId: execution.agentId, userId: chargedMemberOf(execution.id) }, { recommendations: recommendationRows.length });
  await insertTodos(tx, execution, todos);
  const processed = fresh.length - failed;
  logLines.push({
    level: "info", step, message: `Processed ${analyzed.length} items in ${(elapsedMs / 1000).toFixed(1)} s`,
    data: { items: analyzed.length, ms: elapsedMs, itemsPerSecond: Math.round((analyzed.length / Math.max(elapsedMs, 1)) * 10_000) / 10 },
  });
  await appendLogs(tx, execution, logLines);
  const [progress] = await tx
    .update(executions)
    .set({
      itemsProcessed: sql`${executions.itemsProcessed} + ${processed}`,
      itemsFailed: sql`${executions.itemsFailed} + ${failed}`,
      batchesDone: batchIndex + 1,
      itemCursor: analyzed[analyzed.length - 1]?.item.key ?? execution.itemCursor,
      heartbeatAt: sql`now()`,
    })
    .where(eq(executions.id, execution.id))
    .returning({ itemsProcessed: executions.itemsProcessed, itemsFailed: executions.itemsFailed, itemsTotal: executions.itemsTotal });
  return progress!;
}

async function insertTodos(tx: Tx, execution: Execution, todos: Todo[]) {
  if (todos.length === 0) return;
  const [last] = await tx.select({ position: max(actionItems.position) }).from(actionItems).where(eq(actionItems.executionId, execution.id));
  const start = (last?.position ?? -1) + 1;
  await insertJsonRows(tx, actionItems, todos.map((todo, n) => ({ executionId: execution.id, workspaceId: execution.workspaceId, position: start + n, ...todo })));
}

/** Writes results, settles credits and sets the final status: completed, or partial when items failed. */
export async function finishExecution(executionId: string): Promise<void> {
  const db = await getDb();
  const [execution] = await db.select().from(executions).where(eq(executions.id, executionId));
  if (!execution || execution.status !== "running" || !isAgentId(execution.agentId)) return;
  const agent = getAgent(execution.agentId);
  const settings = agent.settingsSchema.parse(execution.settings) as AnySettings;
  const items: ProcessedItem[] = await db
    .select({ itemType: executionItems.itemType, itemRef: executionItems.itemRef, itemLabel: executionItems.itemLabel, score: executionItems.score, data: executionItems.data })
    .from(executionItems)
    .where(and(eq(executionItems.executionId, executionId), eq(executionItems.outcome, "processed")));
  const [changes] = await db.select({ n: count() }).from(recommendations).where(eq(recommendations.executionId, executionId));
  const [todos] = await db.select({ n: count() }).from(actionItems).where(eq(actionItems.executionId, executionId));
  const summary = await agent.summarize({
    executionId, workspaceId: execution.workspaceId, connectionId: execution.connectionId ?? "", settings, items,
    changeCount: changes?.n ?? 0, todoCount: (todos?.n ?? 0), finishedAt: new Date(),
  });

  await db.transaction(async (tx) => {
    const locked = await lockExecution(tx, executionId);
    if (!locked || locked.status !== "running") return;
    await tx.delete(executionResults).where(eq(executionResults.executionId, executionId));
    if (summary.results.length) {
      await tx.insert(executionResults).values(summary.results.map((r, position) => ({ executionId, workspaceId: locked.workspaceId, kind: r.kind, title: r.title, payload: r.payload, position })));
    }
    await insertTodos(tx, locked, summary.todos ?? []);
    const status = locked.itemsFailed > 0 ? "partial" : "completed";
    const charged = chargeFor(locked, locked.itemsProcessed);
    await settle(tx, locked, charged);
    const failedNote = locked.itemsFailed > 0 ? ` · ${locked.itemsFailed} item${locked.itemsFailed === 1 ? "" : "s"} failed` : "";
    await appendLog(tx, locked, "info", "finish", `Finished: ${locked.itemsProcessed} processed, ${locked.itemsFailed} failed; charged ${charged} of ${locked.creditsReserved} reserved credits`);
    await tx.update(executions).set({ status, preview: `${summary.preview}${failedNote}`, finishedAt: sql`now()`, heartbeatAt: null }).where(eq(executions.id, executionId));
  });
}

/** Fails a run with a reason people understand and refunds every reserved credit. */
export async function failExecution(executionId: string, code: ExecutionErrorCode, detail?: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const locked = await lockExecution(tx, executionId);
    if (!locked || (locked.status !== "running" && locked.status !== "queued")) return;
    const story = failureStories[code];
    const step = locked.batchesDone < Math.ceil(locked.itemsTotal / batchSize) ? `batch ${locked.batchesDone + 1}/${Math.ceil(locked.itemsTotal / batchSize)}` : "finish";
    const seq = await appendLog(tx, locked, "error", step, detail ? `${story.log}: ${detail}` : story.log, { code });
    await settle(tx, locked, 0);
    await appendLog(tx, locked, "info", "finish", `Refunded all ${locked.creditsReserved} reserved credits`);
    await tx
      .update(executions)
      .set({ status: "failed", errorCode: code, errorMessage: story.message, errorHint: story.hint, errorLogSeq: seq, preview: `Failed: ${story.message.replace(/\.$/, "")}`, finishedAt: sql`now()`, startedAt: sql`coalesce(${executions.startedAt}, now())`, heartbeatAt: null })
      .where(eq(executions.id, executionId));
  });
}

/** Ends a run whose cancel was requested: what was processed is charged, the rest refunded. */
export async function cancelRunningExecution(executionId: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const locked = await lockExecution(tx, executionId);
    if (!locked || (locked.status !== "running" && locked.status !== "queued")) return;
    const done = locked.itemsProcessed;
    const charged = done > 0 ? chargeFor(locked, done) : 0;
    await settle(tx, locked, charged);
    await appendLog(tx, locked, "warn", "cancel", `Canceled after ${done} of ${locked.itemsTotal} items; refunded ${locked.creditsReserved - charged} credits`);
    await tx
      .update(executions)
      .set({ status: "canceled", preview: `Canceled after ${done} of ${locked.itemsTotal} items`, finishedAt: sql`now()`, heartbeatAt: null })
      .where(eq(executions.id, executionId));
  });
}

function chargeFor(execution: Execution, processed: number): number {
  if (!isAgentId(execution.agentId)) return 0;
  const { base, perItem } = agentCatalog[execution.agentId].cost;
  return Math.min(execution.creditsReserved, base + perItem * processed);
}

/** Charges `charged` of the reservation: refunds the rest through the ledger, once. */
async function settle(tx: Tx, execution: Execution, charged: number) {
  const refund = execution.creditsReserved - charged;
  if (refund > 0) {
    // The refund goes back to whom the reservation charged (a workflow's creator for its runs).
    const [reservation] = await tx
      .select({ userId: creditLedger.userId })
      .from(creditLedger)
      .where(and(eq(creditLedger.executionId, execution.id), eq(creditLedger.kind, "reserve")))
      .limit(1);
    const moved = await moveCredits(tx, {
      workspaceId: execution.workspaceId, kind: "refund", amount: refund, idempotencyKey: `refund:${execution.id}`,
      executionId: execution.id, agentId: execution.agentId, userId: reservation?.userId ?? execution.triggeredBy,
    });
    if (!moved.ok) throw new Error(moved.message);
  }
  await tx.update(executions).set({ creditsCharged: charged, creditsRefunded: refund }).where(eq(executions.id, execution.id));
}

async function lockExecution(tx: Tx, executionId: string): Promise<Execution | undefined> {
  const [row] = await tx.select().from(executions).where(eq(executions.id, executionId)).for("update");
  return row;
}

type LogLine = { level: "info" | "warn" | "error"; step: string; message: string; data?: Record<string, unknown> };

/** Appends a processing-log line and returns its sequence number (callers hold the execution's row lock). */
async function appendLog(tx: Tx, execution: Pick<Execution, "id" | "workspaceId">, level: LogLine["level"], step: string, message: string, data?: Record<string, unknown>): Promise<number> {
  const [seq] = await appendLogs(tx, execution, [{ level, step, message, data }]);
  return seq!;
}

/** Appends lines in one statement: their numbers continue from the last line, counted in SQL. */
async function appendLogs(tx: Tx, execution: Pick<Execution, "id" | "workspaceId">, lines: LogLine[]): Promise<number[]> {
  const last = sql`(select coalesce(max(${executionLogs.seq}), 0) from ${executionLogs} where ${executionLogs.executionId} = ${execution.id})`;
  const rows = lines.map((line, n) => ({
    executionId: execution.id, workspaceId: execution.workspaceId, seq: sql`${last} + ${sql.raw(String(n + 1))}`,
    level: line.level, step: line.step, message: line.message, data: line.data ?? null,
  }));
  const inserted = await tx.insert(executionLogs).values(rows).returning({ seq: executionLogs.seq });
  return inserted.map((row) => row.seq);
}

/** Platform calls: retried with backoff while rate-limited, bounded by the step timeout. */
async function withPlatformRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTimeout(call(), stepTimeoutMs());
    } catch (error) {
      if (!(error instanceof PlatformError) || error.code !== "rate_limited" || attempt >= rateLimitRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.max(error.retryAfterMs, 100 * 2 ** attempt)));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformError("timeout", `No answer from the platform within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
