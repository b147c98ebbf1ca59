import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, getDatabase, getDb, installDatabase, openDatabase } from "@/db/client";
import { creditLedger, executionItems, executions, platformConnections } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { runExecutionInProcess } from "@/inngest/embedded";
import { batchSize } from "./engine";
import { startExecution } from "./start";

/** Starts the child runner and SIGKILLs it right after the step named `killAfter` commits. */
function runChildAndKill(args: string[], env: NodeJS.ProcessEnv, killAfter: string): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    // One process (no tsx wrapper), so SIGKILL hits the process that runs the execution.
    const child = spawn(process.execPath, ["--import", "tsx", "db/testing/child-runner.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`step-done ${killAfter}\n`)) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (_code, signal) => resolve({ killed: signal === "SIGKILL", output }));
  });
}

describe("a process killed in the middle of a run", () => {
  it("leaves the run resumable: the next start finishes it, each item once, credits settled", { timeout: 120_000 }, async () => {
    const db = await getDb();
    const admin = await seededCtx("admin@acme.test");
    const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 350 }, includePages: true, includeProducts: true } });
    if (!started.ok) throw new Error(started.message);
    // Slow calls give the kill time to land between batches rather than after the run.
    await db.update(platformConnections).set({ health: "slow", latencyMs: 400 }).where(eq(platformConnections.workspaceId, admin.workspaceId));

    const current = await getDatabase();
    const env: NodeJS.ProcessEnv = { ...process.env };
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

    const { killed, output } = await runChildAndKill([started.executionId, admin.workspaceId], env, "batch-1");
    expect(killed, output).toBe(true);
    await reopen();
    const afterDb = await getDb();
    const [interrupted] = await afterDb.select().from(executions).where(eq(executions.id, started.executionId));
    expect(interrupted).toMatchObject({ status: "running", batchesDone: 1, itemsProcessed: batchSize });

    await afterDb.update(platformConnections).set({ health: "active", latencyMs: null }).where(eq(platformConnections.workspaceId, admin.workspaceId));
    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    const [finished] = await afterDb.select().from(executions).where(eq(executions.id, started.executionId));
    expect(finished).toMatchObject({ status: "completed", itemsProcessed: 350, creditsReserved: 705, creditsCharged: 705, creditsRefunded: 0 });
    const [items] = await afterDb.select({ n: count(), distinct: sql<number>`count(distinct ${executionItems.itemRef})::int` }).from(executionItems).where(eq(executionItems.executionId, started.executionId));
    expect(items).toEqual({ n: 350, distinct: 350 });
    const ledger = await afterDb.select({ kind: creditLedger.kind, amount: creditLedger.amount }).from(creditLedger).where(eq(creditLedger.executionId, started.executionId));
    expect(ledger).toEqual([{ kind: "reserve", amount: -705 }]);
  });
});
