/**
 * Finding runs nobody is working on: queued runs no worker has taken up, and runs whose
 * owner's lease ran out (its process died, or lost the database for longer than the lease).
 * The in-process runner takes them up itself (inngest/embedded.ts); with Inngest, the
 * sweep-runs cron hands each to a new function run (`handOverAbandonedRuns`).
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { getDatabase, getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { claimRun } from "./engine";
import { handoffOwner } from "./ownership";

export type RunToTakeUp = { executionId: string; workspaceId: string };

/** The channel on which a process that queued a run tells runner processes to look. */
const runsQueuedChannel = "runlog_runs_queued";

/** Tells every runner on this database that a run is waiting (they also find it at their next sweep). */
export async function announceRunsQueued(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select pg_notify(${runsQueuedChannel}, '')`);
}

/** Calls `onQueued` whenever a run is announced; answers a stop. */
export async function listenForQueuedRuns(onQueued: () => void): Promise<() => Promise<void>> {
  return (await getDatabase()).listen(runsQueuedChannel, onQueued);
}

/** Live runs with no live lease, oldest first, and how many runs each workspace has in live hands. */
export async function findRunsToTakeUp(limit: number): Promise<{ runs: RunToTakeUp[]; heldByWorkspace: Map<string, number> }> {
  const db = await getDb();
  const live = inArray(executions.status, ["queued", "running"]);
  const [runs, held] = await Promise.all([
    db
      .select({ executionId: executions.id, workspaceId: executions.workspaceId })
      .from(executions)
      .where(and(live, or(isNull(executions.leaseExpiresAt), lt(executions.leaseExpiresAt, sql`now()`))))
      .orderBy(asc(executions.createdAt))
      .limit(limit),
    db
      .select({ workspaceId: executions.workspaceId, n: count() })
      .from(executions)
      .where(and(live, gte(executions.leaseExpiresAt, sql`now()`)))
      .groupBy(executions.workspaceId),
  ]);
  return { runs, heldByWorkspace: new Map(held.map((row) => [row.workspaceId, row.n])) };
}

/** How long a handed-over run waits for its new Inngest function run to take it up. */
const handoffLeaseMs = 10 * 60_000;
/** A queued run Inngest has not begun after this long is sent again (its event may have been lost). */
const staleQueuedMs = 15 * 60_000;

export type HandedOver = RunToTakeUp & { handoff?: string };

/**
 * With Inngest: claims each abandoned run for a handoff (so no other sweep takes it too) and
 * answers them, to be sent as new `execution.queued` events that carry the handoff; and answers
 * queued runs still untouched long after they were queued, to be sent again.
 */
export async function handOverAbandonedRuns(limit = 50): Promise<HandedOver[]> {
  const db = await getDb();
  const abandoned = await db
    .select({ executionId: executions.id, workspaceId: executions.workspaceId })
    .from(executions)
    .where(and(inArray(executions.status, ["queued", "running"]), isNotNull(executions.leaseExpiresAt), lt(executions.leaseExpiresAt, sql`now()`)))
    .orderBy(asc(executions.createdAt))
    .limit(limit);
  const handedOver: HandedOver[] = [];
  for (const run of abandoned) {
    const handoff = randomUUID();
    if (await claimRun(run.executionId, handoffOwner(handoff), { leaseMs: handoffLeaseMs })) handedOver.push({ ...run, handoff });
  }
  const stale = await db
    .select({ executionId: executions.id, workspaceId: executions.workspaceId })
    .from(executions)
    .where(and(inArray(executions.status, ["queued", "running"]), isNull(executions.leaseExpiresAt), lt(executions.createdAt, sql`now() - ${`${staleQueuedMs} milliseconds`}::interval`)))
    .orderBy(asc(executions.createdAt))
    .limit(limit);
  return [...handedOver, ...stale];
}
