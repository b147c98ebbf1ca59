import { spawn, type ChildProcess } from "node:child_process";
import { asc, count, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditLedger, executionItems, executionLogs, platformConnections } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { executionById, settleSeededRuns, startSeoAudit, waitFor } from "@/db/testing/runs";
import { events } from "@/inngest/client";
import { dispatchEvent } from "@/inngest/dispatch";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";

/**
 * Real processes on one PostgreSQL database (a PGlite folder belongs to one process, so these
 * run on PostgreSQL only): instances started as the app starts them, killed with SIGKILL, and
 * the app's connections cut by the server.
 */
const isPostgres = Boolean(process.env.RUNLOG_TEST_DATABASE_URL);

let admin: Ctx;
const children: ChildProcess[] = [];

beforeAll(async () => {
  admin = await seededCtx("admin@acme.test");
  await settleSeededRuns();
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** An instance's runner in its own process; resolves with its owner name once it is up. */
function startInstance(env: Record<string, string> = {}): Promise<{ process: ChildProcess; owner: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "db/testing/runner-instance.ts"], {
      env: { ...process.env, DATABASE_URL: process.env.RUNLOG_TEST_DATABASE_URL, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(output);
      if (ready) resolve({ process: child, owner: ready[1]! });
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`instance exited (${code}): ${output}`)));
  });
}



async function setLatency(latencyMs: number | null) {
  const db = await getDb();
  await db.update(platformConnections).set({ health: latencyMs ? "slow" : "active", latencyMs }).where(eq(platformConnections.workspaceId, admin.workspaceId));
}

async function expectSettledOnce(id: string, items: number) {
  const db = await getDb();
  expect(await executionById(id)).toMatchObject({ status: "completed", itemsProcessed: items, creditsCharged: 5 + 2 * items, creditsRefunded: 0 });
  const [counted] = await db.select({ n: count(), distinct: sql<number>`count(distinct ${executionItems.itemRef})::int` }).from(executionItems).where(eq(executionItems.executionId, id));
  expect(counted).toEqual({ n: items, distinct: items });
  const ledger = await db.select({ kind: creditLedger.kind, amount: creditLedger.amount }).from(creditLedger).where(eq(creditLedger.executionId, id));
  expect(ledger).toEqual([{ kind: "reserve", amount: -(5 + 2 * items) }]);
}


describe.skipIf(!isPostgres)("two instances on one database", () => {
  it("a new instance leaves a live run alone; when its owner is SIGKILLed the survivor finishes it within 60 s, each item once", { timeout: 180_000 }, async () => {
    await setLatency(300); // 25 items per call: a batch of 200 takes about 2.4 s, the run about 24 s
    const id = await startSeoAudit(admin, 2000);
    const first = await startInstance();
    await waitFor(async () => (await executionById(id)).owner === first.owner && (await executionById(id)).batchesDone >= 1, "the first instance to take the run", 30_000);

    // A second instance starts while the run is live: over two of its sweeps it must not touch it.
    const second = await startInstance();
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const midway = await executionById(id);
    expect(midway).toMatchObject({ status: "running", owner: first.owner });
    const db = await getDb();
    const resumesBefore = await db.select({ n: count() }).from(executionLogs).where(sql`${executionLogs.executionId} = ${id} and ${executionLogs.step} = 'resume'`);
    expect(resumesBefore[0]!.n).toBe(0);

    first.process.kill("SIGKILL");
    const killedAt = Date.now();
    await setLatency(null);
    await waitFor(async () => (await executionById(id)).status !== "running", "the survivor to finish the run", 60_000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(60_000);
    await expectSettledOnce(id, 2000);
    expect((await executionById(id)).owner).toBe(second.owner);
    const resumes = await db.select({ message: executionLogs.message }).from(executionLogs).where(sql`${executionLogs.executionId} = ${id} and ${executionLogs.step} = 'resume'`).orderBy(asc(executionLogs.seq));
    expect(resumes).toHaveLength(1);
    expect(resumes[0]!.message).toMatch(/^Resumed after an interruption \(the worker running it stopped\), from batch \d+ of 10$/);
  });
});

describe.skipIf(!isPostgres)("a web process and a runner process", () => {
  it("the runner takes up a run the web process queued at once, told by the database, not at its next sweep", { timeout: 60_000 }, async () => {
    const runner = await startInstance({ RUNLOG_SWEEP_SECONDS: "600" });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // its first sweep is done, and it listens
    const id = await startSeoAudit(admin, 20);
    const previousRole = process.env.RUNLOG_ROLE;
    process.env.RUNLOG_ROLE = "web"; // this process only serves: it announces the run
    try {
      await dispatchEvent({ name: events.executionQueued.name, data: { executionId: id, workspaceId: admin.workspaceId } });
    } finally {
      process.env.RUNLOG_ROLE = previousRole;
    }
    await waitFor(async () => (await executionById(id)).status === "completed", "the runner to run it", 10_000);
    expect((await executionById(id)).owner).toBe(runner.owner);
  });
});

describe.skipIf(!isPostgres)("the database cutting the app's connections mid-run", () => {
  it("settles the run without a restart after its transactions are cut: every item once, credits exact", { timeout: 120_000 }, async () => {
    // 100 ms per store call keeps slices at 25 items: the run lasts several seconds, long
    // enough for five cuts however fast the machine is.
    await setLatency(100);
    const id = await startSeoAudit(admin, 2000);
    const running = runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    const cuts = await cutConnectionsDuring(id, 5, "in a transaction");
    await running;
    await setLatency(null);
    expect(cuts).toBe(5);
    await expectSettledOnce(id, 2000);
  });

  // postgres.js 3.4.9 used to end the process here: it wrote a transaction's ROLLBACK to the
  // socket the server had just closed, from a timer (porsager/postgres#1208; patches/ mends it).
  it("an instance whose connections are cut mid-run keeps running and finishes the run itself, with no resume", { timeout: 120_000 }, async () => {
    await setLatency(100);
    const instance = await startInstance();
    let exit: string | null = null;
    let output = "";
    instance.process.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    instance.process.on("exit", (code, signal) => (exit = `exit ${code ?? signal}`));
    const id = await startSeoAudit(admin, 2000);
    await waitFor(async () => (await executionById(id)).owner === instance.owner, "the instance to take the run", 30_000);
    // Only connections waiting inside a transaction between two statements: the driver's next
    // write there went to the socket it had dropped.
    const cuts = await cutConnectionsDuring(id, 5, "between statements of a transaction", () => exit !== null);
    await setLatency(null);
    await waitFor(async () => exit !== null || (await executionById(id)).status !== "running", "the instance to finish the run", 60_000);
    expect(exit, output).toBeNull();
    expect(cuts).toBe(5);
    expect((await executionById(id)).owner).toBe(instance.owner);
    await expectSettledOnce(id, 2000);
    const db = await getDb();
    const resumes = await db.select({ n: count() }).from(executionLogs).where(sql`${executionLogs.executionId} = ${id} and ${executionLogs.step} = 'resume'`);
    expect(resumes[0]!.n).toBe(0);
  });
});

/**
 * Watches the server for this database's connections inside a transaction (busy, or waiting
 * between two statements) and terminates them (as a failover or an operator would), `times`
 * times while run `id` is not done and `isOver` says go on; answers how many cuts it made.
 */
async function cutConnectionsDuring(id: string, times: number, which: "in a transaction" | "between statements of a transaction", isOver = () => false): Promise<number> {
  const killer = postgres(process.env.RUNLOG_TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  let cuts = 0;
  try {
    while (cuts < times && !isOver() && (await killer`select status from executions where id = ${id}`)[0]!.status !== "completed") {
      const cut = await killer`
        select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
          and state in ('active', 'idle in transaction') and (state = 'idle in transaction' or ${which === "in a transaction"})`;
      if (cut.length) {
        cuts++;
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await killer.end();
  }
  return cuts;
}
