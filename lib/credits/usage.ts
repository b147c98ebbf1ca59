import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { usageDaily } from "@/db/schema";

/**
 * Keeps `usage_daily` (db/schema/credits.ts) current in the caller's transaction: each
 * reservation, refund, batch of recommendations and apply adds to its day's row, so the
 * Credits page sums days instead of scanning the ledger. `runlog_rebuild_usage_daily`
 * (migration 0004) rebuilds a workspace's rows from scratch by the same rules.
 */

/** The rollup's member for usage no member was charged for. */
export const noMember = "00000000-0000-0000-0000-000000000000";

export type UsageDelta = { runs?: number; creditsUsed?: number; itemsInScope?: number; recommendations?: number; applied?: number };

type UsageKey = {
  workspaceId: string;
  agentId: string;
  /** The member the run's reservation charged: an id, or `chargedMemberOf(executionId)`. */
  userId: string | null | SQL;
  /** The UTC day to count on; today unless given. */
  day?: SQL;
};

/** The member an execution is charged to: its starter, or its workflow's creator. */
export function chargedMemberOf(executionId: string): SQL {
  return sql`coalesce((select coalesce(e.triggered_by, w.created_by) from executions e left join workflows w on w.id = e.workflow_id where e.id = ${executionId}), ${noMember}::uuid)`;
}

export function utcDayOf(at: SQL | Date): SQL {
  return sql`((${at instanceof Date ? at.toISOString() : at})::timestamptz at time zone 'UTC')::date`;
}

export async function addUsage(tx: DbOrTx, key: UsageKey, delta: UsageDelta): Promise<void> {
  const row = {
    runs: delta.runs ?? 0, creditsUsed: delta.creditsUsed ?? 0, itemsInScope: delta.itemsInScope ?? 0,
    recommendations: delta.recommendations ?? 0, applied: delta.applied ?? 0,
  };
  if (Object.values(row).every((n) => n === 0)) return;
  const added = (column: keyof typeof row) => sql`${usageDaily[column]} + excluded.${sql.identifier(usageDaily[column].name)}`;
  await tx
    .insert(usageDaily)
    .values({
      workspaceId: key.workspaceId,
      day: key.day ?? sql`(now() at time zone 'UTC')::date`,
      agentId: key.agentId,
      userId: key.userId ?? noMember,
      ...row,
    })
    .onConflictDoUpdate({
      target: [usageDaily.workspaceId, usageDaily.day, usageDaily.agentId, usageDaily.userId],
      set: { runs: added("runs"), creditsUsed: added("creditsUsed"), itemsInScope: added("itemsInScope"), recommendations: added("recommendations"), applied: added("applied") },
    });
}

/** Recounts one workspace's rollup from its ledger and recommendations (seed, benchmarks, repairs). */
export async function rebuildUsage(tx: DbOrTx, workspaceId: string): Promise<void> {
  await tx.execute(sql`select runlog_rebuild_usage_daily(${workspaceId}::uuid)`);
}
