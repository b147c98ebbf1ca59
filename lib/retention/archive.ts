/**
 * Retention (F16): executions past their workspace's period leave the history. Completed and
 * partial runs go after `retention_success_days` (365), failed and canceled after
 * `retention_failure_days` (90), counted from when they were created. Archiving one compacts
 * its heavy rows — items, log, results, recommendations, action items — into one
 * execution_archives document, deletes them and its search rows, and sets `archived_at` (which every history query
 * filters out). The execution row itself stays, so the credit ledger, which is never touched,
 * still names it.
 *
 * Kept runs are never archived; a restored run's period counts from its restore
 * (lib/retention/keep.ts).
 *
 * Work goes in small batches, each its own short transaction, walking the partial status
 * index of live rows; rows are taken with SKIP LOCKED, so two archivers never collide, and a
 * batch that is archived is gone from the walk, so running it again changes nothing.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { actionItems, executionItems, executionLogs, executionResults, executions, executionSearch, recommendations, workspaces, type ExecutionStatus } from "@/db/schema";

export type ArchiveOptions = {
  /** The clock: what counts as "older than N days" (tests move it). */
  now?: Date;
  /** Executions per transaction. */
  batchSize?: number;
  /** A batch stops growing once its executions hold this many items, so one transaction stays short. */
  maxItemsPerBatch?: number;
  /** Stop starting batches after this long (a durable step stays short); `isDone` says whether all was archived. */
  timeBudgetMs?: number;
};

export type ArchiveRun = { archived: number; batches: number; longestBatchMs: number; totalMs: number; isDone: boolean };

const groups: { statuses: ExecutionStatus[]; days: "retentionSuccessDays" | "retentionFailureDays" }[] = [
  { statuses: ["completed", "partial"], days: "retentionSuccessDays" },
  { statuses: ["failed", "canceled"], days: "retentionFailureDays" },
];

export async function archiveExpiredExecutions(options: ArchiveOptions = {}): Promise<ArchiveRun> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 200;
  const maxItems = options.maxItemsPerBatch ?? 20_000;
  const db = await getDb();
  const started = performance.now();
  const budgetMs = options.timeBudgetMs ?? Number.POSITIVE_INFINITY;
  const run: ArchiveRun = { archived: 0, batches: 0, longestBatchMs: 0, totalMs: 0, isDone: true };
  const allWorkspaces = await db
    .select({ id: workspaces.id, retentionSuccessDays: workspaces.retentionSuccessDays, retentionFailureDays: workspaces.retentionFailureDays })
    .from(workspaces);
  for (const workspace of allWorkspaces) {
    for (const group of groups) {
      const cutoff = sql`${now.toISOString()}::timestamptz - make_interval(days => ${sql.raw(String(Math.trunc(workspace[group.days])))})`;
      // One status at a time: each is one ordered walk of the partial index of live rows.
      for (const status of group.statuses) {
        const isExpired = and(
          eq(executions.workspaceId, workspace.id), eq(executions.status, status), isNull(executions.archivedAt), lt(executions.createdAt, cutoff),
          // Kept runs stay; a restored run counts from the day it came back.
          isNull(executions.keptAt), or(isNull(executions.retentionFrom), lt(executions.retentionFrom, cutoff)),
        )!;
        for (;;) {
          const batchStarted = performance.now();
          if (batchStarted - started > budgetMs) {
            run.isDone = false;
            run.totalMs = batchStarted - started;
            return run;
          }
          const archived = await db.transaction((tx) => archiveBatch(tx, isExpired, now, batchSize, maxItems));
          if (archived === 0) break;
          run.archived += archived;
          run.batches++;
          run.longestBatchMs = Math.max(run.longestBatchMs, performance.now() - batchStarted);
        }
      }
    }
  }
  run.totalMs = performance.now() - started;
  return run;
}

async function archiveBatch(tx: Tx, isExpired: SQL, now: Date, batchSize: number, maxItems: number): Promise<number> {
  const candidates = await tx
    .select({ id: executions.id, itemsTotal: executions.itemsTotal })
    .from(executions)
    .where(isExpired)
    .orderBy(asc(executions.createdAt), asc(executions.id))
    .limit(batchSize)
    .for("update", { skipLocked: true });
  const ids: string[] = [];
  let items = 0;
  for (const candidate of candidates) {
    if (ids.length > 0 && items + candidate.itemsTotal > maxItems) break;
    ids.push(candidate.id);
    items += candidate.itemsTotal;
  }
  if (ids.length === 0) return 0;
  const idList = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const at = sql`${now.toISOString()}::timestamptz`;
  // The document is built in the database: rows go from table to JSON without a trip through the app.
  await tx.execute(sql`
    insert into execution_archives (execution_id, workspace_id, agent_id, status, triggered_by, credits_charged, started_at, created_at, archived_at, document)
    select e.id, e.workspace_id, e.agent_id, e.status, e.triggered_by, e.credits_charged, e.started_at, e.created_at, ${at},
      jsonb_build_object(
        'execution', to_jsonb(e) - 'archived_at',
        'items', coalesce((select jsonb_agg(to_jsonb(i) - 'execution_id' - 'workspace_id' order by i.id) from execution_items i where i.execution_id = e.id), '[]'::jsonb),
        'log', coalesce((select jsonb_agg(to_jsonb(l) - 'execution_id' - 'workspace_id' order by l.seq) from execution_logs l where l.execution_id = e.id), '[]'::jsonb),
        'results', coalesce((select jsonb_agg(to_jsonb(r) - 'execution_id' - 'workspace_id' order by r.position, r.id) from execution_results r where r.execution_id = e.id), '[]'::jsonb),
        'recommendations', coalesce((select jsonb_agg(to_jsonb(c) - 'execution_id' - 'workspace_id' order by c.created_at, c.id) from recommendations c where c.execution_id = e.id), '[]'::jsonb),
        'actionItems', coalesce((select jsonb_agg(to_jsonb(a) - 'execution_id' - 'workspace_id' order by a.position) from action_items a where a.execution_id = e.id), '[]'::jsonb)
      )
    from executions e
    where e.id in (${idList})
    on conflict (execution_id) do nothing`);
  // Search rows go too (a restore rebuilds them from the restored rows): an archived run is found by nobody.
  for (const table of [executionLogs, executionItems, executionResults, recommendations, actionItems, executionSearch]) {
    await tx.delete(table).where(inArray(table.executionId, ids));
  }
  await tx.update(executions).set({ archivedAt: now }).where(inArray(executions.id, ids));
  return ids.length;
}
