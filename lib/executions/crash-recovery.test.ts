import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDatabase, getDb, installDatabase, openDatabase } from "@/db/client";
import { creditLedger, executionItems, executionLogs, executions, platformConnections } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { batchSize } from "./engine";
import { startExecution } from "./start";

type Kill = { whenProgress?: (batchesDone: number, batchItemsDone: number) => boolean; env?: Record<string, string> };

/** Runs the execution in a child process (db/testing/child-runner.ts) and SIGKILLs it when its progress says so (or it kills itself). */
function runChild(args: string[], env: NodeJS.ProcessEnv, kill: Kill): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    // One process (no tsx wrapper), so SIGKILL hits the process that runs the execution.
    const child = spawn(process.execPath, ["--import", "tsx", "db/testing/child-runner.ts", ...args], { env: { ...env, ...kill.env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      for (const [, batches, items] of output.matchAll(/^progress (\d+) (\d+)$/gm)) {
        if (kill.whenProgress?.(Number(batches), Number(items))) child.kill("SIGKILL");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (_code, signal) => resolve({ killed: signal === "SIGKILL", output }));
  });
}

/** A run in a child process with a 2-second lease, so that once it is killed the test can take the run over. */
async function runChildUntilKilled(admin: Ctx, maxItems: number, kill: Kill): Promise<string> {
  const db = await getDb();
  const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems }, includePages: true, includeProducts: true } });
  if (!started.ok) throw new Error(started.message);
  // Slow calls (25 items each) make a batch last a few seconds, so the kill lands inside one.
  await db.update(platformConnections).set({ health: "slow", latencyMs: 150 }).where(eq(platformConnections.workspaceId, admin.workspaceId));

  const current = await getDatabase();
  const env: NodeJS.ProcessEnv = { ...process.env, RUNLOG_LEASE_SECONDS: "2", RUNLOG_ANALYSIS_THREADS: "1" };
  delete env.DATABASE_URL;
  let reopen: () => Promise<void>;
  if (current.kind === "postgres") {
    env.DATABASE_URL = process.env.RUNLOG_TEST_DATABASE_URL;
    reopen = async () => {};
  } else {
    // One PGlite folder must never be open in two processes: hand the data to the child.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-crash-"));
    const dumpFile = path.join(root, "dump.tar.gz");
    const client = (current.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
    fs.writeFileSync(dumpFile, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
    await closeDatabase();
    env.PGLITE_DIR = path.join(root, "pglite");
    env.PGLITE_LOAD_FROM = dumpFile;
    reopen = async () => installDatabase(await openDatabase({ kind: "pglite", dataDir: env.PGLITE_DIR! }));
  }
  const { killed, output } = await runChild([started.executionId, admin.workspaceId], env, kill);
  expect(killed, output).toBe(true);
  await reopen();
  await (await getDb()).update(platformConnections).set({ health: "active", latencyMs: null }).where(eq(platformConnections.workspaceId, admin.workspaceId));
  // The dead process's lease (2 s) runs out; until then nobody may take the run.
  await new Promise((resolve) => setTimeout(resolve, 2200));
  return started.executionId;
}

async function logSteps(executionId: string) {
  const db = await getDb();
  return db.select({ step: executionLogs.step, message: executionLogs.message }).from(executionLogs).where(eq(executionLogs.executionId, executionId)).orderBy(asc(executionLogs.seq));
}

async function expectEachItemOnceAndFullCharge(executionId: string, items: number) {
  const db = await getDb();
  const [finished] = await db.select().from(executions).where(eq(executions.id, executionId));
  expect(finished).toMatchObject({ status: "completed", itemsProcessed: items, creditsReserved: 5 + 2 * items, creditsCharged: 5 + 2 * items, creditsRefunded: 0 });
  const [counted] = await db.select({ n: count(), distinct: sql<number>`count(distinct ${executionItems.itemRef})::int` }).from(executionItems).where(eq(executionItems.executionId, executionId));
  expect(counted).toEqual({ n: items, distinct: items });
  const ledger = await db.select({ kind: creditLedger.kind, amount: creditLedger.amount }).from(creditLedger).where(eq(creditLedger.executionId, executionId));
  expect(ledger).toEqual([{ kind: "reserve", amount: -(5 + 2 * items) }]);
}

describe("a process killed in the middle of a run", () => {
  it("leaves the run to be taken over after its last committed batch: each item once, credits settled", { timeout: 120_000 }, async () => {
    const admin = await seededCtx("admin@acme.test");
    // Killed inside the second batch, with some of its items analysed but not committed.
    const executionId = await runChildUntilKilled(admin, 350, { whenProgress: (batches, items) => batches === 1 && items >= 50 });
    const db = await getDb();
    const [interrupted] = await db.select().from(executions).where(eq(executions.id, executionId));
    expect(interrupted).toMatchObject({ status: "running", batchesDone: 1, itemsProcessed: batchSize });

    await runExecutionInProcess({ executionId, workspaceId: admin.workspaceId });
    await expectEachItemOnceAndFullCharge(executionId, 350);
    const steps = await logSteps(executionId);
    expect(steps.filter((line) => line.step === "resume").map((line) => line.message)).toEqual(["Resumed after an interruption (the worker running it stopped), from batch 2 of 2"]);
    expect(steps.filter((line) => line.step.startsWith("batch ") && line.message.startsWith("Processed ")).map((line) => line.step)).toEqual(["batch 1/2", "batch 2/2"]);
  });

  it("killed inside finish, the resumed run only finishes: no step past its last batch", { timeout: 120_000 }, async () => {
    const admin = await seededCtx("admin@acme.test");
    const executionId = await runChildUntilKilled(admin, 450, { env: { RUNLOG_KILL_BEFORE_STEP: "finish" } });
    const db = await getDb();
    const [interrupted] = await db.select().from(executions).where(eq(executions.id, executionId));
    expect(interrupted).toMatchObject({ status: "running", batchesDone: 3, itemsProcessed: 450 });

    await runExecutionInProcess({ executionId, workspaceId: admin.workspaceId });
    await expectEachItemOnceAndFullCharge(executionId, 450);
    const steps = await logSteps(executionId);
    expect(steps.filter((line) => line.step === "resume").map((line) => line.message)).toEqual(["Resumed after an interruption (the worker running it stopped), at the finish"]);
    expect(steps.filter((line) => line.step.startsWith("batch ") && line.message.startsWith("Processed ")).map((line) => line.step)).toEqual(["batch 1/3", "batch 2/3", "batch 3/3"]);
    expect(steps.filter((line) => line.step === "finish")).toHaveLength(1);
    const [rows] = await db.select({ n: count() }).from(executionLogs).where(and(eq(executionLogs.executionId, executionId), sql`${executionLogs.message} like '%Processed 0 items%'`));
    expect(rows!.n).toBe(0);
  });
});
