/**
 * Runs an execution in steps that each commit on their own: begin, batches of items, finish.
 * Every step is idempotent (a retried or resumed step does nothing twice) and fenced by run
 * ownership (lib/executions/ownership.ts): it writes only while its caller owns the run. So the
 * same functions serve Inngest's durable steps and the in-process runner, a crashed run
 * continues after its last committed batch, and two workers never both write one run.
 */
import { and, count, eq, inArray, max, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { insertJsonRows } from "@/db/json-rows";
import {
  actionItems, creditLedger, executionItems, executionResults, executions, platformConnections, recommendations,
  type Execution, type ExecutionErrorCode,
} from "@/db/schema";
import type { ItemAnalysis, ItemFailure, ProcessedItem, Todo } from "@/lib/agents/agent";
import { analyzeItems } from "@/lib/agents/analysis/pool";
import { agentCatalog, isAgentId } from "@/lib/agents/catalog";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import { moveCredits } from "@/lib/credits/ledger";
import { addUsage, chargedMemberOf } from "@/lib/credits/usage";
import { PlatformError, type ItemQuery, type PlatformAdapter, type StoreItem } from "@/lib/platforms/adapter";
import { adapterFor } from "@/lib/platforms";
import { fieldLabel } from "@/lib/results/field-labels";
import { failureStories } from "./failure-stories";
import { appendLog, appendLogs, type LogLine } from "./log-lines";
import { stringsOf } from "./search";
import { handoffOwner, leaseMs, lockRun, maxAttempts, mayTakeUp, takeLease, type LeaseHold, type LockedRun } from "./ownership";

/** Items committed together: a batch is written in one transaction, and a resumed run continues after the last. */
export const batchSize = 200;
/**
 * Items read from the store and analysed at a time within a batch; between slices the run
 * reports progress and checks for cancel. A run starts with small slices and doubles them
 * while the store answers a call quickly, so a slow store moves the bar (and honours a cancel)
 * every 25 items while a fast one is read a batch per call, as before. The size learned is
 * kept for the run's next batches in this process.
 */
const firstSliceSize = 25;
const fastCallMs = 100;
const sliceSizes = new Map<string, number>();
/**
 * The next batch's first slice, read as soon as this batch's last slice is read and analysed
 * after it, so the store, the analysis thread and this batch's write work at the same time. It
 * is only read, never written: the next batch uses it when it starts from the same cursor with
 * the same slice size, and reads again otherwise (or when reading ahead failed).
 */
const readAhead = new Map<string, { cursor: string | null; asked: number; pending: PendingSlice }>();
/** How often, at most, a batch in progress reports how far it got (and learns of a cancel). */
const progressEveryMs = 250;

/** A platform call that takes longer than this fails the step with `timeout`. */
function stepTimeoutMs(): number {
  return Number(process.env.RUNLOG_STEP_TIMEOUT_MS || 15_000);
}
const rateLimitRetries = 5;

export function batchCountOf(execution: Pick<Execution, "itemsTotal">): number {
  return Math.ceil(execution.itemsTotal / batchSize);
}

/**
 * Takes up a run for `owner` when nobody else holds it (see `mayTakeUp`). Taking over a
 * running run from an owner that stopped is logged, and counts as an attempt; a run begun
 * `maxAttempts` times, or whose agent changed version meanwhile, cannot go on: it is failed
 * with every credit refunded, and the log says why. Answers whether `owner` holds the run.
 */
export async function claimRun(executionId: string, owner: string, options: { handoff?: string; leaseMs?: number } = {}): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const run = await lockRun(tx, executionId);
    if (!run || !mayTakeUp(run, owner, options.handoff)) return false;
    // Still this owner's, or handed to it by a sweep that already counted the takeover.
    const isContinuing = (run.owner === owner && !run.isLeaseExpired) || (options.handoff !== undefined && run.owner === handoffOwner(options.handoff));
    if (run.status === "running" && !isContinuing) {
      const currentVersion = isAgentId(run.agentId) ? agentCatalog[run.agentId].version : null;
      const reason = run.attempts >= maxAttempts
        ? `It was interrupted ${run.attempts} times, each time before it could finish, so it was stopped rather than tried again`
        : currentVersion !== run.agentVersion
          ? `The agent was updated (v${run.agentVersion} → v${currentVersion ?? "none"}) while the run was interrupted, and its results would mix two versions`
          : null;
      if (reason) {
        await takeLease(tx, executionId, owner, options.leaseMs);
        await failLocked(tx, { ...run, owner }, "internal", reason);
        return false;
      }
      const batchCount = batchCountOf(run);
      const where = run.batchesDone >= batchCount ? "at the finish" : `from batch ${run.batchesDone + 1} of ${batchCount}`;
      await appendLog(tx, run, "warn", "resume", `Resumed after an interruption (the worker running it stopped), ${where}`, { previousOwner: run.owner });
      await tx.update(executions).set({ attempts: run.attempts + 1, batchItemsDone: 0 }).where(eq(executions.id, executionId));
    }
    await takeLease(tx, executionId, owner, options.leaseMs);
    return true;
  });
}

export type BeginResult = { shouldRun: false } | { shouldRun: true; batchCount: number; batchesDone: number };

/** Takes up the run and starts it (queued → running), or picks it up where it stopped. */
export async function beginExecution(executionId: string, owner: string, options: { handoff?: string; leaseMs?: number } = {}): Promise<BeginResult> {
  if (!(await claimRun(executionId, owner, options))) return { shouldRun: false };
  const db = await getDb();
  return db.transaction(async (tx): Promise<BeginResult> => {
    const run = await lockRun(tx, executionId);
    if (!run || run.owner !== owner || (run.status !== "queued" && run.status !== "running")) return { shouldRun: false };
    if (run.status === "queued") {
      if (run.cancelRequestedAt) {
        await cancelLocked(tx, run);
        return { shouldRun: false };
      }
      await tx.update(executions).set({ status: "running", startedAt: sql`now()`, attempts: run.attempts + 1, batchItemsDone: 0 }).where(eq(executions.id, executionId));
      const agent = isAgentId(run.agentId) ? agentCatalog[run.agentId] : null;
      await appendLog(tx, run, "info", "start", `Started ${agent?.name ?? run.agentId} v${run.agentVersion} on ${run.itemsTotal} items`, { scope: run.scope });
    }
    return { shouldRun: true, batchCount: batchCountOf(run), batchesDone: run.batchesDone };
  });
}

export type BatchResult = { shouldContinue: boolean };
const stop: BatchResult = { shouldContinue: false };

/** Runs batches `first`…`last` (0-based, inclusive), skipping those already committed; stops when the run ends or is taken away. */
export async function processBatches(executionId: string, owner: string, first: number, last: number, hold?: LeaseHold): Promise<BatchResult> {
  try {
    for (let batch = first; batch <= last; batch++) {
      const result = await processBatch(executionId, owner, batch, hold, batch < last);
      if (!result.shouldContinue) {
        sliceSizes.delete(executionId);
        return result;
      }
      hold?.touch();
    }
    return { shouldContinue: true };
  } finally {
    readAhead.delete(executionId);
  }
}

/**
 * One batch: reads items from the store a slice at a time and has the agent analyse them
 * (on a worker thread), reporting progress between slices and stopping early when cancel was
 * asked; then writes what it analysed in one transaction. A cancel takes effect in that
 * transaction, so exactly the items analysed are charged. With `readsAhead` (a next batch
 * follows in this step), the next batch's first slice is read and analysed meanwhile.
 */
export async function processBatch(executionId: string, owner: string, batchIndex: number, hold?: LeaseHold, readsAhead = false): Promise<BatchResult> {
  const db = await getDb();
  const [execution] = await db.select().from(executions).where(eq(executions.id, executionId));
  if (!execution || execution.status !== "running" || execution.owner !== owner) return stop;
  if (execution.batchesDone > batchIndex) return { shouldContinue: true };
  if (batchIndex >= batchCountOf(execution)) return stop;
  if (execution.cancelRequestedAt) {
    await cancelRunningExecution(executionId, owner);
    return stop;
  }
  if (!isAgentId(execution.agentId)) {
    await failExecution(executionId, "invalid_settings", `Unknown agent ${execution.agentId}`, owner);
    return stop;
  }
  const agent = getAgent(execution.agentId);
  const parsed = agent.settingsSchema.safeParse(execution.settings);
  const [connection] = execution.connectionId
    ? await db.select().from(platformConnections).where(eq(platformConnections.id, execution.connectionId))
    : [];
  if (!parsed.success) {
    await failExecution(executionId, "invalid_settings", parsed.error.issues[0]?.message, owner);
    return stop;
  }
  if (!connection) {
    await failExecution(executionId, "connection_lost", "The store connection was removed.", owner);
    return stop;
  }
  const adapter = adapterFor(connection);
  const query = agent.itemQuery(parsed.data, execution.createdAt);
  const wanted = Math.min(batchSize, execution.itemsTotal - execution.itemsProcessed - execution.itemsFailed);
  const started = Date.now();
  // Only what gets written is kept, so the items' fields (a page's whole body) are freed slice by slice.
  const analyzed: Analyzed[] = [];
  let cursor = execution.itemCursor;
  let isCancelRequested = false;
  let context: unknown;
  let slice = sliceSizes.get(executionId) ?? firstSliceSize;
  const readSlice = (after: string | null, asked: number) => readAndAnalyse(adapter, query, after, asked, (items) => analyzeItems(execution.agentId, parsed.data, context, items));
  /** Once this batch's last slice is read, the next batch's first is read and queued for analysis. */
  const readNextBatchAhead = ({ lastKey, callMs }: SliceRead) => {
    const left = execution.itemsTotal - execution.itemsProcessed - execution.itemsFailed - wanted;
    if (!readsAhead || left <= 0) return;
    const asked = Math.min(learnedSliceSize(slice, callMs), left);
    readAhead.set(executionId, { cursor: lastKey, asked, pending: readSlice(lastKey, asked) });
  };
  const takeSlice = async (after: string | null, asked: number, mayUseReadAhead = true): Promise<Slice> => {
    const ahead = mayUseReadAhead ? takeReadAhead(executionId, after, asked) : null;
    const pending = ahead ?? readSlice(after, asked);
    try {
      const read = await pending.read;
      if (read.count === asked && analyzed.length + asked === wanted) readNextBatchAhead(read);
      return await pending.done;
    } catch (error) {
      if (ahead) return takeSlice(after, asked, false); // read again, so a real failure is met here
      throw error;
    }
  };
  try {
    context = await agent.loadContext?.(connection.id);
    let lastReport = Date.now();
    while (analyzed.length < wanted) {
      const asked = Math.min(slice, wanted - analyzed.length);
      const { analyzed: read, callMs } = await takeSlice(cursor, asked);
      slice = learnedSliceSize(slice, callMs);
      sliceSizes.set(executionId, slice);
      if (read.length === 0) break;
      analyzed.push(...read);
      cursor = read[read.length - 1]!.item.key;
      if (hold?.signal.aborted) return stop; // another worker owns the run now
      hold?.touch();
      if (read.length < asked || analyzed.length >= wanted) break;
      if (Date.now() - lastReport >= progressEveryMs) {
        const state = await reportBatchProgress(executionId, owner, analyzed.length);
        lastReport = Date.now();
        if (!state) return stop;
        if (state.isCancelRequested) {
          isCancelRequested = true;
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof PlatformError) {
      await failExecution(executionId, error.code, error.message, owner);
      return stop;
    }
    throw error;
  }
  if (analyzed.length === 0) {
    if (execution.itemsProcessed + execution.itemsFailed === 0) {
      await failExecution(executionId, "insufficient_data", "No items in scope when the run started.", owner);
    }
    return stop; // the store has no more items in scope: the run finishes with what it has
  }
  const elapsedMs = Date.now() - started;

  const written = await db.transaction(async (tx) => {
    const locked = await lockRun(tx, executionId);
    if (!locked || locked.status !== "running" || locked.owner !== owner || locked.batchesDone !== batchIndex) return null;
    const progress = await writeBatch(tx, locked, analyzed, batchIndex, elapsedMs);
    if (isCancelRequested || locked.cancelRequestedAt) {
      await cancelLocked(tx, { ...locked, ...progress });
      return { ...progress, isCanceled: true };
    }
    return { ...progress, isCanceled: false };
  });
  if (!written || written.isCanceled) return stop;
  return { shouldContinue: written.itemsProcessed + written.itemsFailed < written.itemsTotal && analyzed.length === wanted };
}

/** A store that answers fast is read in bigger slices, a slow one in smaller. */
function learnedSliceSize(slice: number, callMs: number): number {
  return callMs < fastCallMs ? Math.min(batchSize, slice * 2) : callMs > 4 * fastCallMs ? Math.max(firstSliceSize, Math.floor(slice / 2)) : slice;
}

type SliceRead = { count: number; lastKey: string | null; callMs: number };
type Slice = { analyzed: Analyzed[]; callMs: number };
/** A slice on its way: `read` once the store answered, `done` once its items are analysed. */
type PendingSlice = { read: Promise<SliceRead>; done: Promise<Slice> };

/** Up to `asked` items after `after`, read from the store and then analysed; only what gets written is kept of each. */
function readAndAnalyse(
  adapter: PlatformAdapter, query: ItemQuery, after: string | null, asked: number,
  analyse: (items: StoreItem[]) => Promise<(ItemAnalysis | ItemFailure)[]>,
): PendingSlice {
  const items = withPlatformRetries(() => adapter.listItems(query, after, asked));
  const pending: PendingSlice = {
    read: items.then(({ value, callMs }) => ({ count: value.length, lastKey: value.at(-1)?.key ?? after, callMs })),
    done: items.then(async ({ value, callMs }) => {
      const analyses = value.length ? await analyse(value) : [];
      return { analyzed: value.map((item, n) => ({ item: { type: item.type, ref: item.ref, label: item.label, key: item.key }, analysis: analyses[n]! })), callMs };
    }),
  };
  // Whoever awaits them still meets a failure; one nobody awaits (a read-ahead left unused, or
  // `done` after `read` failed) must not end the process as an unhandled rejection.
  pending.read.catch(() => {});
  pending.done.catch(() => {});
  return pending;
}

/** The slice read ahead for this run when it is the one wanted now; null otherwise. Either way it is used at most once. */
function takeReadAhead(executionId: string, cursor: string | null, asked: number): PendingSlice | null {
  const ahead = readAhead.get(executionId);
  readAhead.delete(executionId);
  return ahead && ahead.cursor === cursor && ahead.asked === asked ? ahead.pending : null;
}

/**
 * How far the batch in hand got, for the progress bar; renews the lease on the way. Answers
 * whether cancel was asked, or null when the run is no longer this owner's.
 */
async function reportBatchProgress(executionId: string, owner: string, done: number): Promise<{ isCancelRequested: boolean } | null> {
  const db = await getDb();
  const [row] = await db
    .update(executions)
    .set({ batchItemsDone: done, leaseExpiresAt: sql`greatest(${executions.leaseExpiresAt}, now() + ${`${leaseMs} milliseconds`}::interval)`, heartbeatAt: sql`now()` })
    .where(and(eq(executions.id, executionId), eq(executions.owner, owner), eq(executions.status, "running")))
    .returning({ cancelRequestedAt: executions.cancelRequestedAt });
  return row ? { isCancelRequested: row.cancelRequestedAt !== null } : null;
}

type Analyzed = { item: Pick<StoreItem, "type" | "ref" | "label" | "key">; analysis: ItemAnalysis | ItemFailure };
type Progress = Pick<Execution, "itemsProcessed" | "itemsFailed" | "itemsTotal">;

async function writeBatch(tx: Tx, execution: Execution, analyzed: Analyzed[], batchIndex: number, elapsedMs: number): Promise<Progress> {
  const step = `batch ${batchIndex + 1}/${batchCountOf(execution)}`;
  const base = { executionId: execution.id, workspaceId: execution.workspaceId };
  const itemRows = analyzed.map(({ item, analysis }) =>
    analysis.outcome === "failed"
      ? { ...base, itemType: item.type, itemRef: item.ref, itemLabel: item.label, outcome: "failed" as const, reason: analysis.reason }
      : { ...base, itemType: item.type, itemRef: item.ref, itemLabel: item.label, outcome: analysis.outcome, score: analysis.score, data: analysis.data ?? null },
  );
  // An item already recorded (a resumed run re-reading its last batch) counts once.
  const insertedRows = await insertJsonRows(tx, executionItems, itemRows, { onConflictDoNothing: true, returning: [executionItems.itemRef] });
  const inserted = new Set(insertedRows.map((row) => row.item_ref));
  const fresh = await settledByAgent(tx, execution, analyzed.filter(({ item }) => inserted.has(item.ref)));
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
    for (const { field, reason } of analysis.withheld ?? []) {
      logLines.push({ level: "info", step, message: `No ${fieldLabel(field).toLowerCase()} proposed for “${item.label}”: ${reason}.`, data: { itemRef: item.ref, field } });
    }
    todos.push(...analysis.todos);
  }
  await insertJsonRows(tx, recommendations, recommendationRows);
  await addUsage(tx, { workspaceId: execution.workspaceId, agentId: execution.agentId, userId: chargedMemberOf(execution.id) }, { recommendations: recommendationRows.length });
  await insertTodos(tx, execution, todos);
  const processed = fresh.length - failed;
  const itemWord = analyzed.length === 1 ? "item" : "items";
  logLines.push({
    level: "info", step, message: `Processed ${analyzed.length} ${itemWord} in ${(elapsedMs / 1000).toFixed(1)} s`,
    data: { items: analyzed.length, ms: elapsedMs, itemsPerSecond: Math.round((analyzed.length / Math.max(elapsedMs, 1)) * 10_000) / 10 },
  });
  // What the batch found is searchable once it commits: item names, recommendations, to-dos.
  const searchable = [
    ...fresh.map(({ item }) => item.label),
    ...recommendationRows.map((r) => `${r.field} ${r.afterValue} ${r.rationale}`),
    ...todos.map((todo) => `${todo.title} ${todo.detail}`),
  ];
  await appendLogs(tx, execution, logLines, searchable);
  const [progress] = await tx
    .update(executions)
    .set({
      itemsProcessed: sql`${executions.itemsProcessed} + ${processed}`,
      itemsFailed: sql`${executions.itemsFailed} + ${failed}`,
      batchesDone: batchIndex + 1,
      batchItemsDone: 0,
      itemCursor: analyzed[analyzed.length - 1]?.item.key ?? execution.itemCursor,
      leaseExpiresAt: sql`greatest(${executions.leaseExpiresAt}, now() + ${`${leaseMs} milliseconds`}::interval)`,
      heartbeatAt: sql`now()`,
    })
    .where(eq(executions.id, execution.id))
    .returning({ itemsProcessed: executions.itemsProcessed, itemsFailed: executions.itemsFailed, itemsTotal: executions.itemsTotal });
  return progress!;
}

/** The batch's analyses once its agent settled what only the whole run can (`AgentModule.settleBatch`). */
async function settledByAgent(tx: Tx, execution: Execution, fresh: Analyzed[]): Promise<Analyzed[]> {
  const agent = isAgentId(execution.agentId) ? getAgent(execution.agentId) : null;
  if (!agent?.settleBatch || !execution.connectionId || fresh.length === 0) return fresh;
  const analyses = await agent.settleBatch(tx, { executionId: execution.id, workspaceId: execution.workspaceId, connectionId: execution.connectionId }, fresh);
  return fresh.map((entry, n) => ({ ...entry, analysis: analyses[n]! }));
}

async function insertTodos(tx: Tx, execution: Execution, todos: Todo[]) {
  if (todos.length === 0) return;
  const [last] = await tx.select({ position: max(actionItems.position) }).from(actionItems).where(eq(actionItems.executionId, execution.id));
  const start = (last?.position ?? -1) + 1;
  await insertJsonRows(tx, actionItems, todos.map((todo, n) => ({ executionId: execution.id, workspaceId: execution.workspaceId, position: start + n, ...todo })));
}

/**
 * Writes results, settles credits and sets the final status: completed, or partial when items
 * failed. A cancel asked while items remained (every batch was cut short by it) ends the run as
 * canceled instead; one asked after the last item finishes it, and the log says so.
 */
export async function finishExecution(executionId: string, owner: string): Promise<void> {
  const db = await getDb();
  const [execution] = await db.select().from(executions).where(eq(executions.id, executionId));
  if (!execution || execution.status !== "running" || execution.owner !== owner || !isAgentId(execution.agentId)) return;
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
    const locked = await lockRun(tx, executionId);
    if (!locked || locked.status !== "running" || locked.owner !== owner) return;
    const isAllDone = locked.itemsProcessed + locked.itemsFailed >= locked.itemsTotal;
    if (locked.cancelRequestedAt && !isAllDone) return cancelLocked(tx, locked);
    await tx.delete(executionResults).where(eq(executionResults.executionId, executionId));
    if (summary.results.length) {
      await tx.insert(executionResults).values(summary.results.map((r, position) => ({ executionId, workspaceId: locked.workspaceId, kind: r.kind, title: r.title, payload: r.payload, position })));
    }
    await insertTodos(tx, locked, summary.todos ?? []);
    const status = locked.itemsFailed > 0 ? "partial" : "completed";
    const charged = chargeFor(locked, locked.itemsProcessed);
    await settle(tx, locked, charged);
    if (locked.cancelRequestedAt) {
      await appendLog(tx, locked, "info", "cancel", "Cancel was asked after every item had been processed, so the run finished instead");
    }
    const failedNote = locked.itemsFailed > 0 ? ` · ${locked.itemsFailed} item${locked.itemsFailed === 1 ? "" : "s"} failed` : "";
    await appendLogs(tx, locked, [{ level: "info", step: "finish", message: `Finished: ${locked.itemsProcessed} processed, ${locked.itemsFailed} failed; charged ${charged} of ${locked.creditsReserved} reserved credits` }], [
      summary.preview,
      ...summary.results.flatMap((r) => [r.title, ...stringsOf(r.payload)]),
      ...(summary.todos ?? []).map((todo) => `${todo.title} ${todo.detail}`),
    ]);
    await tx.update(executions).set({ status, preview: `${summary.preview}${failedNote}`, finishedAt: sql`now()`, ...endedLease }).where(eq(executions.id, executionId));
  });
}

/** A run that ended holds no lease (its owner stays on record). */
const endedLease = { heartbeatAt: null, leaseExpiresAt: null, batchItemsDone: 0 };

/**
 * Fails a run with a reason people understand and refunds every reserved credit. `owner` is
 * who works on it; null fails only a queued run nobody has taken up (it could not be handed
 * to a runner at all).
 */
export async function failExecution(executionId: string, code: ExecutionErrorCode, detail: string | undefined, owner: string | null): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const locked = await lockRun(tx, executionId);
    if (!locked || !isWorkableBy(locked, owner)) return;
    await failLocked(tx, locked, code, detail);
  });
}

async function failLocked(tx: Tx, locked: Execution, code: ExecutionErrorCode, detail: string | undefined): Promise<void> {
  const story = failureStories[code];
  const batchCount = batchCountOf(locked);
  const step = locked.batchesDone < batchCount ? `batch ${locked.batchesDone + 1}/${batchCount}` : "finish";
  const seq = await appendLog(tx, locked, "error", step, detail ? `${story.log}: ${detail}` : story.log, { code });
  await settle(tx, locked, 0);
  await appendLogs(tx, locked, [{ level: "info", step: "finish", message: `Refunded all ${locked.creditsReserved} reserved credits` }], [story.message, story.hint]);
  await tx
    .update(executions)
    .set({ status: "failed", errorCode: code, errorMessage: story.message, errorHint: story.hint, errorLogSeq: seq, preview: `Failed: ${story.message.replace(/\.$/, "")}`, finishedAt: sql`now()`, startedAt: sql`coalesce(${executions.startedAt}, now())`, ...endedLease })
    .where(eq(executions.id, locked.id));
}

/**
 * Ends a run whose cancel was asked: what was processed is charged, the rest refunded. `owner`
 * as for `failExecution`: null cancels only a queued run nobody has taken up.
 */
export async function cancelRunningExecution(executionId: string, owner: string | null): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const locked = await lockRun(tx, executionId);
    if (!locked || !isWorkableBy(locked, owner)) return false;
    await cancelLocked(tx, locked);
    return true;
  });
}

async function cancelLocked(tx: Tx, locked: Execution): Promise<void> {
  const done = locked.itemsProcessed;
  const charged = done > 0 ? chargeFor(locked, done) : 0;
  await settle(tx, locked, charged);
  const of = `${done} of ${locked.itemsTotal} item${locked.itemsTotal === 1 ? "" : "s"}`;
  await appendLog(tx, locked, "warn", "cancel", `Canceled after ${of}; charged ${charged} credits, refunded ${locked.creditsReserved - charged}`, { processed: done, charged });
  await tx
    .update(executions)
    .set({ status: "canceled", preview: `Canceled after ${of}`, finishedAt: sql`now()`, ...endedLease })
    .where(eq(executions.id, locked.id));
}

/** Whether `owner` may end the run now: it is its owner, or (null) the run is queued and nobody holds it. */
function isWorkableBy(run: LockedRun, owner: string | null): boolean {
  if (run.status !== "running" && run.status !== "queued") return false;
  if (owner !== null) return run.owner === owner;
  return run.status === "queued" && (run.owner === null || run.isLeaseExpired);
}

/** Whether the run has ended with `owner` the last to hold it (so that owner announces it). */
export async function hasEndedWith(executionId: string, owner: string): Promise<boolean> {
  const db = await getDb();
  const [row] = await db
    .select({ id: executions.id })
    .from(executions)
    .where(and(eq(executions.id, executionId), eq(executions.owner, owner), inArray(executions.status, ["completed", "partial", "failed", "canceled"])));
  return Boolean(row);
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

/**
 * Platform calls: retried with backoff while rate-limited, bounded by the step timeout. Answers
 * how long the call that succeeded took (the waits for a rate limit left out).
 */
async function withPlatformRetries<T>(call: () => Promise<T>): Promise<{ value: T; callMs: number }> {
  for (let attempt = 0; ; attempt++) {
    const started = Date.now();
    try {
      const value = await withTimeout(call(), stepTimeoutMs());
      return { value, callMs: Date.now() - started };
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
