import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDatabase, getDb, installDatabase, openDatabase } from "@/db/client";
import { auditLog, bulkJobs, notifications, platformConnections, recommendations, storeProducts, usageDaily } from "@/db/schema";
import { catalogueRun, type CatalogueRun } from "@/db/testing/catalogue-run";
import { seededCtx } from "@/db/testing/contexts";
import { testDatabaseUrl } from "@/db/testing/template";
import type { Ctx } from "@/lib/auth/context";
import { staleBulkJobs } from "@/lib/executions/bulk-by-filter";
import { runBulkJobStep } from "@/lib/executions/bulk-steps";
import { applyPartSize, previewApplyAllMatching } from "./apply-in-parts";
import { getApplyJob, runApplyJobPart, startApplyJob, type ApplyJobView } from "./apply-job";

/**
 * A worker process (db/testing/apply-job-child.ts) killed in the middle of an apply job's part:
 * SIGKILLed while a slow store makes the part last seconds, or killing itself between a store
 * write and its mark; and one frozen (SIGSTOP) past its hold, then woken while another worker
 * has the job. The job is taken over once its heartbeat is 30 s old, and every change ends
 * applied once, with one audit entry and one usage count each, one summary and one notification.
 * In-process tests of the same job: ./apply-job.test.ts.
 */

let sam: Ctx;
/** PGlite folders handed to children, removed once the last is closed. */
const folders: string[] = [];

type Progress = { done: number; marked: number; worker: string };
type Signal = "SIGKILL" | "SIGSTOP";
/** Called on the child's progress lines until it answers a signal to send it. */
type OnProgress = (progress: Progress, output: string) => Signal | null | Promise<Signal | null>;
type Exit = { code: number | null; signal: NodeJS.Signals | null; output: string };

/** Starts the child as worker-a on the job, and sends it the signal `onProgress` answers, once. */
function startChild(jobId: string, executionId: string, env: NodeJS.ProcessEnv, onProgress: OnProgress) {
  // One process (no tsx wrapper), so a signal hits the process that applies.
  const child = spawn(process.execPath, ["--import", "tsx", "db/testing/apply-job-child.ts", jobId, "worker-a", executionId], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let isDeciding = false;
  let sent: Signal | null = null;
  let onSent: (signal: Signal) => void = () => {};
  const signalled = new Promise<Signal>((resolve) => (onSent = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    const last = [...output.matchAll(/^progress (-?\d+) (\d+) (\S+)$/gm)].at(-1);
    if (!last || isDeciding || sent) return;
    isDeciding = true;
    void Promise.resolve(onProgress({ done: Number(last[1]), marked: Number(last[2]), worker: last[3]! }, output))
      .then((signal) => {
        if (!signal || sent || child.exitCode !== null || child.signalCode !== null) return;
        sent = signal;
        child.kill(signal);
        onSent(signal);
      })
      .finally(() => (isDeciding = false));
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, output }));
  });
  return { child, signalled, exited, output: () => output };
}

/**
 * Works on the job in a child process as worker-a until `killWhen` says so (or it kills itself),
 * then gives the test its database back. One PGlite folder must never be open in two processes:
 * the test's data goes to the child as a dump, and the test opens the child's folder once the
 * child is dead.
 */
async function workInChildUntilKilled(jobId: string, executionId: string, env: Record<string, string>, killWhen: (progress: Progress, output: string) => boolean | Promise<boolean>) {
  const current = await getDatabase();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  let reopen: () => Promise<void>;
  if (current.kind === "postgres") {
    childEnv.DATABASE_URL = process.env.RUNLOG_TEST_DATABASE_URL;
    reopen = async () => {};
  } else {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-apply-crash-"));
    folders.push(root);
    const dumpFile = path.join(root, "dump.tar.gz");
    const client = (current.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
    fs.writeFileSync(dumpFile, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
    await closeDatabase();
    childEnv.PGLITE_DIR = path.join(root, "pglite");
    childEnv.PGLITE_LOAD_FROM = dumpFile;
    reopen = async () => installDatabase(await openDatabase({ kind: "pglite", dataDir: childEnv.PGLITE_DIR! }));
  }
  const { exited } = startChild(jobId, executionId, childEnv, async (progress, output) => ((await killWhen(progress, output)) ? "SIGKILL" : null));
  const { signal, output } = await exited;
  await reopen();
  return { killed: signal === "SIGKILL" && !/^job-ended/m.test(output), output };
}

/**
 * Previews every change of the run the filter matches (every one not applied or rejected, or the
 * approved ones) and starts applying them in the background, as the dialog does.
 */
async function startApplying(executionId: string, status: "any" | "approved"): Promise<ApplyJobView> {
  const filter = { priority: [], status: status === "any" ? [] : ["approved" as const], q: "", sort: "priority" as const };
  const preview = await previewApplyAllMatching(sam, executionId, filter);
  if (!preview.ok) throw new Error(preview.message);
  const started = await startApplyJob(sam, executionId, { start: preview.preview.start });
  if (!started.ok) throw new Error(started.message);
  return started.job;
}

async function appliedUsage(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`coalesce(sum(${usageDaily.applied}), 0)::int` }).from(usageDaily).where(eq(usageDaily.workspaceId, sam.workspaceId));
  return row!.n;
}

/** What the store, the recommendations, the audit log and usage say of the run's changes. */
async function tally(run: CatalogueRun) {
  const db = await getDb();
  const ids = run.recs.map((r) => r.id);
  const products = await db.select({ id: storeProducts.id, title: storeProducts.title }).from(storeProducts).where(inArray(storeProducts.id, run.recs.map((r) => r.itemRef)));
  const title = new Map(products.map((p) => [p.id, p.title]));
  const statuses = await db.select({ id: recommendations.id, status: recommendations.status }).from(recommendations).where(eq(recommendations.executionId, run.executionId));
  const status = new Map(statuses.map((r) => [r.id, r.status]));
  const audits = await db.select({ target: auditLog.targetId, n: sql<number>`count(*)::int` }).from(auditLog)
    .where(and(eq(auditLog.action, "recommendation.applied"), inArray(auditLog.targetId, ids))).groupBy(auditLog.targetId);
  const audited = new Map(audits.map((a) => [a.target, a.n]));
  return {
    /** Products holding the proposed title. */
    stored: run.recs.filter((r) => title.get(r.itemRef) === r.after).length,
    /** Recommendations marked applied. */
    marked: run.recs.filter((r) => status.get(r.id) === "applied").length,
    /** Written to the store but not (yet) marked: the gap between the two steps of applyOne. */
    storedNotMarked: run.recs.filter((r) => title.get(r.itemRef) === r.after && status.get(r.id) !== "applied").map((r) => r.id),
    /** recommendation.applied rows, and recommendations with more than one. */
    audited: audits.reduce((sum, a) => sum + a.n, 0),
    auditedTwice: run.recs.filter((r) => (audited.get(r.id) ?? 0) > 1).length,
    markedWithoutAudit: run.recs.filter((r) => status.get(r.id) === "applied" && audited.get(r.id) !== 1).length,
  };
}

/** The dead worker's heartbeat, 31 s old: what 30 s of silence leaves (the hold is not configurable, and waiting it out would triple the test). */
async function ageHeartbeat(jobId: string) {
  const db = await getDb();
  await db.update(bulkJobs).set({ heartbeatAt: sql`heartbeat_at - interval '31 seconds'` }).where(eq(bulkJobs.id, jobId));
}

/** Takes the dead worker's job over as the sweep would: not while its heartbeat is fresh, then to the end. */
async function takeOverAsB(jobId: string) {
  // Killed a moment ago: its hold stands, nobody may take the job yet.
  expect(await staleBulkJobs()).not.toContainEqual(expect.objectContaining({ id: jobId }));
  expect(await runApplyJobPart(jobId, "worker-b")).toMatchObject({ handled: 0, job: { worker: "worker-a", status: "running" } });
  await ageHeartbeat(jobId);
  expect(await staleBulkJobs()).toContainEqual(expect.objectContaining({ id: jobId }));
  await workToTheEnd(jobId, "worker-b");
}

/** Works on the job step after step, as the background function does, until it ends. */
async function workToTheEnd(jobId: string, worker: string) {
  for (let steps = 0; steps < 20; steps++) {
    const { job, isHeldElsewhere } = await runBulkJobStep(jobId, worker);
    expect(isHeldElsewhere).toBe(false);
    if (!job || job.status !== "running") return;
  }
  throw new Error("The job did not end within 20 steps.");
}

/**
 * What a person or an auditor checks once the job has ended: each change applied once, counted
 * once, summed up once, and the job's summary saying it applied every one.
 */
async function expectEachAppliedOnce(run: CatalogueRun, jobId: string, usageBefore: number) {
  const n = run.recs.length;
  expect(await tally(run)).toEqual({ stored: n, marked: n, storedNotMarked: [], audited: n, auditedTwice: 0, markedWithoutAudit: 0 });
  expect((await appliedUsage()) - usageBefore).toBe(n);
  const job = await getApplyJob(sam, jobId);
  // A change the dead worker applied after its last recorded part counts as applied, once: the
  // job counts its changes' audit entries, which name it.
  expect(job).toMatchObject({ status: "finished", expected: n, remaining: 0, applied: n, alreadyApplied: 0, failed: 0, skipped: 0, changedElsewhere: 0, problems: [], ending: null });
  const db = await getDb();
  const summaries = await db.select({ data: auditLog.data }).from(auditLog).where(and(eq(auditLog.action, "recommendation.bulk_applied"), eq(auditLog.targetId, run.executionId)));
  expect(summaries).toEqual([{ data: expect.objectContaining({ count: job!.applied, alreadyApplied: job!.alreadyApplied, expected: n, jobId }) }]);
  const notices = await db.select().from(notifications).where(and(eq(notifications.userId, sam.userId), eq(notifications.executionId, run.executionId), eq(notifications.kind, "apply_finished")));
  expect(notices).toHaveLength(1);
  return job!;
}

async function setStore(health: "slow" | "active", latencyMs: number | null) {
  const db = await getDb();
  await db.update(platformConnections).set({ health, latencyMs }).where(eq(platformConnections.workspaceId, sam.workspaceId));
}

beforeAll(async () => {
  sam = await seededCtx("sam@acme.test");
});

afterAll(async () => {
  if (!folders.length) return;
  await closeDatabase();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

describe("a worker process killed in the middle of an apply job", () => {
  it("holds the job while alive; once its heartbeat is 30 s old a second worker finishes it: 900 changes each applied, audited and counted once", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 900);
    const usageBefore = await appliedUsage();
    // Every change of the run not applied or rejected (all 900 are approved).
    const job = await startApplying(run.executionId, "any");
    // A slow store (each write answers 10 ms late) makes a part of 250 last a few seconds, so the kill lands inside one.
    await setStore("slow", 10);
    const isPostgres = (await getDatabase()).kind === "postgres";
    let fromHere: Awaited<ReturnType<typeof runApplyJobPart>> | null = null;

    const { killed, output } = await workInChildUntilKilled(job.id, run.executionId, { RUNLOG_CONTEND_AS: "worker-b" }, async ({ done, marked }, seen) => {
      if (done < applyPartSize) return false;
      // The first part is recorded and worker-a is inside the second: another process's claim is refused.
      if (isPostgres && !fromHere) fromHere = await runApplyJobPart(job.id, "worker-b");
      return /^contend /m.test(seen) && marked >= done + 60;
    });
    // worker-b, tried inside the child while worker-a held the job (and from this process on PostgreSQL), changed nothing.
    expect(output).toMatch(new RegExp(`^contend 0 worker-a ${applyPartSize}$`, "m"));
    if (isPostgres) expect(fromHere).toMatchObject({ handled: 0, job: { worker: "worker-a", done: applyPartSize } });
    expect(killed, output).toBe(true);

    await setStore("active", null);
    const db = await getDb();
    const [interrupted] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, job.id));
    expect(interrupted).toMatchObject({ status: "running", worker: "worker-a", done: applyPartSize });
    const atKill = await tally(run);
    // Changes of the second part applied and marked, but not recorded in the job: worker-b meets them applied.
    expect(atKill.marked).toBeGreaterThanOrEqual(applyPartSize + 60);
    expect(atKill.marked).toBeLessThan(2 * applyPartSize);
    // The mark, its usage and its audit entry commit together; the store write before them may be alone.
    expect(atKill.audited).toBe(atKill.marked);
    expect(atKill.markedWithoutAudit).toBe(0);
    expect((await appliedUsage()) - usageBefore).toBe(atKill.marked);
    expect(atKill.stored - atKill.marked).toBeGreaterThanOrEqual(0);
    expect(atKill.stored - atKill.marked).toBeLessThanOrEqual(1);

    await takeOverAsB(job.id);
    await expectEachAppliedOnce(run, job.id, usageBefore);
    // worker-a, were it to come back, finds nothing to do.
    expect(await runApplyJobPart(job.id, "worker-a")).toMatchObject({ handled: 0, job: { status: "finished" } });
  });

  it("killed after a store write and before its mark: the next worker completes that change, once", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 400);
    const usageBefore = await appliedUsage();
    const job = await startApplying(run.executionId, "approved");
    const killAfter = applyPartSize + 50;
    // The child kills itself right after its 300th store write commits (the 50th of the second part).
    const { killed, output } = await workInChildUntilKilled(job.id, run.executionId, { RUNLOG_KILL_AFTER_STORE_WRITE: String(killAfter) }, () => false);
    expect(killed, output).toBe(true);

    const db = await getDb();
    const [interrupted] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, job.id));
    expect(interrupted).toMatchObject({ status: "running", worker: "worker-a", done: applyPartSize });
    const atKill = await tally(run);
    const gap = run.recs.filter((r) => atKill.storedNotMarked.includes(r.id));
    expect(atKill).toMatchObject({ stored: killAfter, marked: killAfter - 1, audited: killAfter - 1, auditedTwice: 0, markedWithoutAudit: 0 });
    expect(gap).toHaveLength(1);
    expect((await appliedUsage()) - usageBefore).toBe(killAfter - 1);

    await takeOverAsB(job.id);
    // The one written but not marked is applied by worker-b (the store already holds it) and audited now.
    // The 49 worker-a marked after its last recorded part no longer match the plan's filter
    // (approved), so worker-b's parts never meet them; they count as applied all the same (it read
    // "Applied 351 of 400" before the job counted its audit entries).
    await expectEachAppliedOnce(run, job.id, usageBefore);
    const [completed] = await db.select({ status: recommendations.status }).from(recommendations).where(eq(recommendations.id, gap[0]!.id));
    expect(completed).toEqual({ status: "applied" });
  });

  // Two processes on one PGlite folder would corrupt it: a frozen worker needs a server.
  it.skipIf(!testDatabaseUrl())("frozen mid-part (SIGSTOP) past its hold and woken while a second worker has the job: both apply the same changes, each once", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const usageBefore = await appliedUsage();
    const job = await startApplying(run.executionId, "any");
    await setStore("slow", 10);
    const env = { ...process.env, DATABASE_URL: process.env.RUNLOG_TEST_DATABASE_URL };
    const a = startChild(job.id, run.executionId, env, ({ done, marked }) => (done >= applyPartSize && marked >= done + 20 ? "SIGSTOP" : null));
    expect(await Promise.race([a.signalled, a.exited.then(() => "exited")]), a.output()).toBe("SIGSTOP");
    try {
      await setStore("active", null);
      // A long pause (a frozen VM, a stalled disk) outlasts the hold: the sweep hands the job on.
      await ageHeartbeat(job.id);
      expect(await staleBulkJobs()).toContainEqual(expect.objectContaining({ id: job.id }));
      const b = workToTheEnd(job.id, "worker-b");
      // worker-a wakes while worker-b applies the same part, and goes on with its own.
      await new Promise((resolve) => setTimeout(resolve, 300));
      a.child.kill("SIGCONT");
      await b;
    } finally {
      a.child.kill("SIGCONT");
    }
    const { code, output } = await a.exited;
    // worker-a ended its part (250 outcomes, recorded nowhere) and let go of the job it no longer held.
    expect(code, output).toBe(0);
    expect(output).toMatch(new RegExp(`^step ${2 * applyPartSize} (running|finished) \\d+$`, "m"));
    await expectEachAppliedOnce(run, job.id, usageBefore);
  });
});
