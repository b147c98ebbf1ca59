/**
 * Run ownership. A run being executed has one owner at a time — an app instance (in-process
 * runner) or an Inngest function run — and a lease the owner renews on a heartbeat while it
 * works. Every write of the engine checks, under the run's row lock, that its writer still
 * owns the run, so a second worker that lost the lease (a paused process, a retried Inngest
 * step after a handover) can never write beside the first. A run whose lease expired — its
 * owner died, or lost the database for longer than the lease — may be taken over by anyone:
 * it resumes after its last committed batch.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { executions, type Execution } from "@/db/schema";

function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value * 1000 : fallback * 1000;
}

/**
 * How long a run stays its owner's without a heartbeat (RUNLOG_LEASE_SECONDS, default 30).
 * Long enough that a busy database or a garbage-collection pause never costs a live owner its
 * run; short enough that, with the sweep, a dead instance's runs move on within a minute.
 */
export const leaseMs = seconds("RUNLOG_LEASE_SECONDS", 30);
/** Every instance looks for runs to take over (expired leases, runs nobody took) this often (RUNLOG_SWEEP_SECONDS, default 10). */
export const sweepMs = seconds("RUNLOG_SWEEP_SECONDS", 10);
/** A run that was begun this many times (its owner died each time) is failed and refunded rather than taken over again. */
export const maxAttempts = 4;

/** This process's name as an owner: stable for its life, unique across restarts and hosts. */
export function instanceOwner(): string {
  const holder = globalThis as { __runlogInstanceOwner?: string };
  holder.__runlogInstanceOwner ??= `instance:${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  return holder.__runlogInstanceOwner;
}

/** A sweep's claim on a run it hands to a new Inngest function run (which then takes it over). */
export function handoffOwner(handoff: string): string {
  return `handoff:${handoff}`;
}

export type LockedRun = Execution & { isLeaseExpired: boolean };

/** The run's row, locked for the transaction, and whether its lease has run out (by the database's clock). */
export async function lockRun(tx: Tx, executionId: string): Promise<LockedRun | undefined> {
  const [row] = await tx
    .select({ run: executions, isLeaseExpired: sql<boolean>`coalesce(${executions.leaseExpiresAt} < now(), true)` })
    .from(executions)
    .where(eq(executions.id, executionId))
    .for("update", { of: executions });
  return row && { ...row.run, isLeaseExpired: row.isLeaseExpired };
}

/**
 * Whether `owner` may take up the run: it is live, and nobody else holds a lease on it — it
 * has no owner, is already `owner`'s, was handed to it, or its owner's lease ran out.
 */
export function mayTakeUp(run: LockedRun, owner: string, handoff?: string): boolean {
  if (run.status !== "queued" && run.status !== "running") return false;
  return run.owner === null || run.owner === owner || (handoff !== undefined && run.owner === handoffOwner(handoff)) || run.isLeaseExpired;
}

/** Sets who owns the run and starts a fresh lease (the caller holds the row lock). */
export async function takeLease(tx: Tx, executionId: string, owner: string, ms = leaseMs): Promise<void> {
  await tx
    .update(executions)
    .set({ owner, leaseExpiresAt: sql`now() + ${`${ms} milliseconds`}::interval`, heartbeatAt: sql`now()` })
    .where(eq(executions.id, executionId));
}

/**
 * Renews `owner`'s leases on these runs; answers the ids it still owns (a run missing from the
 * answer was taken over, or ended). Used by the heartbeat, so it never throws: a database it
 * cannot reach answers null, and the lease runs on until the next beat.
 */
async function renewLeases(owner: string, executionIds: string[], ms = leaseMs): Promise<Set<string> | null> {
  if (executionIds.length === 0) return new Set();
  try {
    const db = await getDb();
    const renewed = await db
      .update(executions)
      .set({ leaseExpiresAt: sql`now() + ${`${ms} milliseconds`}::interval`, heartbeatAt: sql`now()` })
      .where(and(inArray(executions.id, executionIds), eq(executions.owner, owner), inArray(executions.status, ["queued", "running"])))
      .returning({ id: executions.id });
    return new Set(renewed.map((row) => row.id));
  } catch {
    return null;
  }
}

/**
 * Lets go of every run `owner` holds, for a process stopping on purpose: other instances may
 * take them up at their next sweep instead of waiting for the leases to run out.
 */
export async function releaseLeases(owner: string): Promise<number> {
  const db = await getDb();
  const released = await db
    .update(executions)
    .set({ leaseExpiresAt: sql`now()` })
    .where(and(eq(executions.owner, owner), inArray(executions.status, ["queued", "running"])))
    .returning({ id: executions.id });
  return released.length;
}

/** A step's hold on its run: aborted when the run was taken from it, or when the step stalled. */
export type LeaseHold = { signal: AbortSignal; touch(): void };

/**
 * A step that made no progress for this long (RUNLOG_STALL_SECONDS, default 180) is given up:
 * its lease is left to run out and the sweep takes the run up again. Every wait inside a step is
 * bounded far below this (a store call by its timeout, a batch by its slices), so only a hung
 * step — a database call that never settles — gets here.
 */
const stallMs = seconds("RUNLOG_STALL_SECONDS", 180);

export class StalledStepError extends Error {
  constructor(executionId: string) {
    super(`A step of execution ${executionId} made no progress for ${Math.round(stallMs / 1000)} s; it was given up so the run can be taken up again.`);
    this.name = "StalledStepError";
  }
}

/**
 * Keeps `owner`'s lease on a run alive while `work` runs, as long as the work shows progress
 * (`touch`). The hold's signal aborts when the run was taken from the owner (the work stops
 * before writing anything more); a stalled step is abandoned: its promise rejects with
 * `StalledStepError` and the lease runs out.
 */
export async function withLease<T>(executionId: string, owner: string, work: (hold: LeaseHold) => Promise<T>, ms = leaseMs): Promise<T> {
  const lost = new AbortController();
  let lastProgress = Date.now();
  let stalled: (error: Error) => void = () => {};
  const stall = new Promise<never>((_, reject) => (stalled = reject));
  const timer = setInterval(() => {
    if (Date.now() - lastProgress > stallMs) {
      clearInterval(timer);
      lost.abort();
      stalled(new StalledStepError(executionId));
      return;
    }
    void renewLeases(owner, [executionId], ms).then((owned) => {
      if (owned && !owned.has(executionId)) lost.abort();
    });
  }, Math.max(200, Math.floor(ms / 6))); // a heartbeat every sixth of the lease: six chances before it runs out
  try {
    return await Promise.race([work({ signal: lost.signal, touch: () => (lastProgress = Date.now()) }), stall]);
  } finally {
    clearInterval(timer);
  }
}
