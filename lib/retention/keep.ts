/**
 * Keeping and restoring (F16): a kept run is exempt from archival until someone lets it go;
 * an archived run restored by an admin returns to the history with everything it had (and is
 * found by search again), and
 * its retention period starts again from the day it came back. Both are audited.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executionArchives, executions, workspaces, type Execution } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { mayManage } from "@/lib/executions/permissions";
import { indexRunsForSearch } from "@/lib/executions/search";
import { visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";
import type { RetentionPeriods } from "./settings";

const dayMs = 24 * 3600_000;
/** Runs this close to their archive date say so in the history and on their page. */
const archiveNoticeDays = 14;

/** When a run leaves the history, or null: kept, still running, or already archived. */
export function archiveDateOf(execution: Pick<Execution, "status" | "createdAt" | "keptAt" | "retentionFrom" | "archivedAt">, periods: RetentionPeriods): Date | null {
  if (execution.keptAt || execution.archivedAt) return null;
  const days = execution.status === "completed" || execution.status === "partial" ? periods.retentionSuccessDays
    : execution.status === "failed" || execution.status === "canceled" ? periods.retentionFailureDays : null;
  if (days === null) return null;
  const from = execution.retentionFrom ?? execution.createdAt;
  return new Date(from.getTime() + days * dayMs);
}

/** The archive date when it falls within the notice window (or has passed, archival is about to catch up). */
export function archiveNoticeOf(execution: Parameters<typeof archiveDateOf>[0], periods: RetentionPeriods, now = new Date()): Date | null {
  const date = archiveDateOf(execution, periods);
  return date && date.getTime() - now.getTime() <= archiveNoticeDays * dayMs ? date : null;
}

/** The archive date in SQL: the same rule as `archiveDateOf`, for runs that are not kept. */
const archiveDateSql = sql<Date>`coalesce(${executions.retentionFrom}, ${executions.createdAt}) + make_interval(days => case when ${executions.status} in ('completed', 'partial') then ${workspaces.retentionSuccessDays} else ${workspaces.retentionFailureDays} end)`;

export type ArchivingRun = { executionId: string; agentId: string; archivesOn: Date };

/** Runs this person can see that leave the history in [from, to), soonest first. */
export async function listRunsArchivingBetween(ctx: Ctx, from: Date, to: Date, limit = 10): Promise<{ runs: ArchivingRun[]; total: number }> {
  const db = await getDb();
  const isDue = and(
    visibleExecutions(ctx), isNull(executions.keptAt), inArray(executions.status, ["completed", "partial", "failed", "canceled"]),
    sql`${archiveDateSql} >= ${from.toISOString()}::timestamptz`, sql`${archiveDateSql} < ${to.toISOString()}::timestamptz`,
  );
  const rows = await db
    .select({ executionId: executions.id, agentId: executions.agentId, archivesOn: archiveDateSql.mapWith((v) => new Date(v as string)), total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(executions)
    .innerJoin(workspaces, eq(workspaces.id, executions.workspaceId))
    .where(isDue)
    .orderBy(archiveDateSql, executions.id)
    .limit(limit);
  return { runs: rows.map((row) => ({ executionId: row.executionId, agentId: row.agentId, archivesOn: row.archivesOn })), total: rows[0]?.total ?? 0 };
}

const idSchema = z.uuid("Execution not found.");

/** Keeps a run out of archival (`isKept`), or lets it be archived again when its period ends. Admins and its starter. */
export async function setExecutionKept(ctx: Ctx, executionId: unknown, isKept: boolean): Promise<Outcome<{ keptAt: Date | null }>> {
  const id = idSchema.safeParse(executionId);
  if (!id.success) return failure("not_found", "Execution not found.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [execution] = await tx.select({ id: executions.id, triggeredBy: executions.triggeredBy, keptAt: executions.keptAt })
      .from(executions).where(and(eq(executions.id, id.data), visibleExecutions(ctx))).for("update");
    if (!execution) return failure("not_found", "Execution not found.");
    if (!mayManage(ctx, execution)) return failure("forbidden", "Only admins and the person who started this run can keep it from archival.");
    if (Boolean(execution.keptAt) === isKept) return { ok: true as const, keptAt: execution.keptAt };
    const [row] = await tx.update(executions)
      .set(isKept ? { keptAt: sql`now()`, keptBy: ctx.userId } : { keptAt: null, keptBy: null })
      .where(eq(executions.id, execution.id))
      .returning({ keptAt: executions.keptAt });
    await recordAudit(tx, ctx, { action: isKept ? "execution.kept" : "execution.released", target: execution.id });
    return { ok: true as const, keptAt: row!.keptAt };
  });
}

/**
 * Puts an archived run back in the history with its items, log, results, recommendations and
 * action items as they were archived; its retention counts from now. Admins only.
 */
export async function restoreArchivedExecution(ctx: Ctx, executionId: unknown): Promise<Outcome<{ executionId: string }>> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can restore archived executions.");
  const id = idSchema.safeParse(executionId);
  if (!id.success) return failure("not_found", "Archived execution not found.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [archive] = await tx.select({ executionId: executionArchives.executionId }).from(executionArchives)
      .where(and(eq(executionArchives.executionId, id.data), eq(executionArchives.workspaceId, ctx.workspaceId))).for("update");
    if (!archive) return failure("not_found", "Archived execution not found; it may have been restored already.");
    const [execution] = await tx.select({ id: executions.id }).from(executions)
      .where(and(eq(executions.id, archive.executionId), eq(executions.workspaceId, ctx.workspaceId))).for("update");
    if (!execution) return failure("gone", "This run was deleted; only its archived copy remains, which can still be downloaded.");
    // Each part goes back as the archive holds it: rows from JSON in the database, ids and all.
    for (const [table, part] of [["execution_items", "items"], ["execution_logs", "log"], ["execution_results", "results"], ["recommendations", "recommendations"], ["action_items", "actionItems"]] as const) {
      await tx.execute(sql`
        insert into ${sql.identifier(table)}
        select r.* from execution_archives a,
          jsonb_populate_recordset(null::${sql.identifier(table)},
            (select coalesce(jsonb_agg(x || jsonb_build_object('execution_id', a.execution_id, 'workspace_id', a.workspace_id)), '[]'::jsonb)
             from jsonb_array_elements(a.document->${part}) x)) r
        where a.execution_id = ${archive.executionId}`);
    }
    await tx.update(executions).set({ archivedAt: null, retentionFrom: sql`now()` }).where(eq(executions.id, archive.executionId));
    // Archival dropped its search rows: rebuilt from what came back, so search finds it again.
    await indexRunsForSearch(tx, sql`e.id = ${archive.executionId}`);
    await tx.delete(executionArchives).where(eq(executionArchives.executionId, archive.executionId));
    await recordAudit(tx, ctx, { action: "archive.restored", target: archive.executionId });
    return { ok: true as const, executionId: archive.executionId };
  });
}
