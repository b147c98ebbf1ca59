import { and, asc, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditLedger, executionItems, executionLogs, executions } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { executionById, settleSeededRuns, startSeoAudit } from "@/db/testing/runs";
import { runExecutionInProcess, takeUpRuns } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { batchSize, beginExecution, claimRun, failExecution, finishExecution, processBatch } from "./engine";
import { handoffOwner, maxAttempts } from "./ownership";
import { startExecution } from "./start";
import { findRunsToTakeUp, handOverAbandonedRuns } from "./sweep";

let admin: Ctx;


async function logOf(id: string) {
  const db = await getDb();
  return db.select({ step: executionLogs.step, level: executionLogs.level, message: executionLogs.message }).from(executionLogs).where(eq(executionLogs.executionId, id)).orderBy(asc(executionLogs.seq));
}

async function expireLease(id: string) {
  const db = await getDb();
  await db.update(executions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(executions.id, id));
}


beforeAll(async () => {
  admin = await seededCtx("admin@acme.test");
  await settleSeededRuns();
});

describe("who works on a run", () => {
  it("never takes over a run whose owner's lease is live: a second instance leaves it alone", async () => {
    const id = await startSeoAudit(admin, 300);
    expect((await beginExecution(id, "instance:first")).shouldRun).toBe(true);
    await processBatch(id, "instance:first", 0);

    expect(await claimRun(id, "instance:second")).toBe(false);
    expect(await beginExecution(id, "instance:second")).toEqual({ shouldRun: false });
    expect((await findRunsToTakeUp(100)).runs.map((r) => r.executionId)).not.toContain(id);
    expect(await executionById(id)).toMatchObject({ owner: "instance:first", status: "running", batchesDone: 1 });
    expect((await logOf(id)).filter((line) => line.step === "resume")).toEqual([]);
    await processBatch(id, "instance:first", 1);
    await finishExecution(id, "instance:first");
    expect(await executionById(id)).toMatchObject({ status: "completed", itemsProcessed: 300 });
  });

  it("a worker whose run was taken over writes nothing more: the new owner finishes it, each item once", async () => {
    const id = await startSeoAudit(admin, 450);
    await beginExecution(id, "instance:paused");
    await processBatch(id, "instance:paused", 0);
    await expireLease(id); // it stopped renewing (a long pause, or a lost database)
    expect(await claimRun(id, "instance:new")).toBe(true);

    // The paused worker wakes up: its batch, finish and even a failure are refused.
    expect(await processBatch(id, "instance:paused", 1)).toEqual({ shouldContinue: false });
    await finishExecution(id, "instance:paused");
    await failExecution(id, "internal", "woke up", "instance:paused");
    expect(await executionById(id)).toMatchObject({ owner: "instance:new", status: "running", batchesDone: 1, itemsProcessed: batchSize });

    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId }); // this process is not "instance:new"…
    expect((await executionById(id)).status).toBe("running"); // …so it may not touch the run either
    for (let batch = 1; batch < 3; batch++) await processBatch(id, "instance:new", batch);
    await finishExecution(id, "instance:new");
    const done = await executionById(id);
    expect(done).toMatchObject({ status: "completed", itemsProcessed: 450, creditsCharged: 5 + 2 * 450, creditsRefunded: 0 });
    const db = await getDb();
    const [items] = await db.select({ n: count(), distinct: sql<number>`count(distinct ${executionItems.itemRef})::int` }).from(executionItems).where(eq(executionItems.executionId, id));
    expect(items).toEqual({ n: 450, distinct: 450 });
    const resumes = (await logOf(id)).filter((line) => line.step === "resume");
    expect(resumes.map((line) => line.message)).toEqual(["Resumed after an interruption (the worker running it stopped), from batch 2 of 3"]);
  });

  it(`fails a run begun ${maxAttempts} times, refunding every credit, and says why`, async () => {
    const id = await startSeoAudit(admin, 250);
    await beginExecution(id, "instance:doomed");
    const db = await getDb();
    await db.update(executions).set({ attempts: maxAttempts }).where(eq(executions.id, id));
    await expireLease(id);

    expect(await claimRun(id, "instance:next")).toBe(false);
    const failed = await executionById(id);
    expect(failed).toMatchObject({ status: "failed", errorCode: "internal", creditsCharged: 0, creditsRefunded: 5 + 2 * 250 });
    const errors = (await logOf(id)).filter((line) => line.level === "error");
    expect(errors[0]!.message).toContain(`interrupted ${maxAttempts} times`);
    const ledger = await db.select({ kind: creditLedger.kind, amount: creditLedger.amount }).from(creditLedger).where(eq(creditLedger.executionId, id));
    expect(ledger.reduce((sum, row) => sum + row.amount, 0)).toBe(0);
  });

  it("fails rather than resumes a run whose agent changed version while it was interrupted", async () => {
    const id = await startSeoAudit(admin, 250);
    await beginExecution(id, "instance:old-code");
    await processBatch(id, "instance:old-code", 0);
    const db = await getDb();
    await db.update(executions).set({ agentVersion: "0.0.1" }).where(eq(executions.id, id));
    await expireLease(id);
    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    const failed = await executionById(id);
    expect(failed).toMatchObject({ status: "failed", creditsCharged: 0 });
    expect((await logOf(id)).find((line) => line.level === "error")!.message).toMatch(/agent was updated \(v0\.0\.1 → v/);
  });
});

describe("the sweep", () => {
  it("takes up runs nobody holds — a queued run and one whose owner died — and leaves a held run alone", async () => {
    const db = await getDb();
    const queued = await startSeoAudit(admin, 30);
    const orphaned = await startSeoAudit(admin, 230);
    await beginExecution(orphaned, "instance:died");
    await processBatch(orphaned, "instance:died", 0);
    await expireLease(orphaned);
    const held = await startSeoAudit(admin, 40);
    await claimRun(held, "instance:alive");

    const stillLive = async () => (await db.select({ n: count() }).from(executions).where(sql`${executions.id} in (${queued}, ${orphaned}) and ${executions.status} in ('queued', 'running')`))[0]!.n;
    // The workspace may have 2 runs in live hands and one is held, so one starts at this sweep…
    expect(await takeUpRuns()).toBe(1);
    for (let n = 0; n < 200 && (await stillLive()) > 1; n++) await new Promise((resolve) => setTimeout(resolve, 100));
    // …and the other at the next, once the first is done.
    expect(await takeUpRuns()).toBe(1);
    for (let n = 0; n < 200 && (await stillLive()) > 0; n++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await executionById(queued)).toMatchObject({ status: "completed", itemsProcessed: 30 });
    expect(await executionById(orphaned)).toMatchObject({ status: "completed", itemsProcessed: 230 });
    expect(await executionById(held)).toMatchObject({ status: "queued", owner: "instance:alive" });
    await failExecution(held, "internal", "test cleanup", "instance:alive");
  });

  it("with Inngest, hands an abandoned run to one new function run, which takes it up once", async () => {
    const id = await startSeoAudit(admin, 230);
    await beginExecution(id, "inngest:dead-run");
    await processBatch(id, "inngest:dead-run", 0);
    await expireLease(id);

    const handed = await handOverAbandonedRuns();
    const mine = handed.filter((run) => run.executionId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.handoff).toBeTruthy();
    expect(await executionById(id)).toMatchObject({ owner: handoffOwner(mine[0]!.handoff!) });
    // A second sweep a minute later does not hand it over again while the handoff waits.
    expect((await handOverAbandonedRuns()).map((run) => run.executionId)).not.toContain(id);
    // A stranger cannot take it; the function run carrying the handoff can.
    expect(await beginExecution(id, "inngest:stranger")).toEqual({ shouldRun: false });
    expect(await beginExecution(id, "inngest:new-run", { handoff: mine[0]!.handoff })).toEqual({ shouldRun: true, batchCount: 2, batchesDone: 1 });
    await processBatch(id, "inngest:new-run", 1);
    await finishExecution(id, "inngest:new-run");
    expect(await executionById(id)).toMatchObject({ status: "completed", itemsProcessed: 230 });
    expect((await logOf(id)).filter((line) => line.step === "resume")).toHaveLength(1);
  });
});

describe("starting a run", () => {
  it("answers a request submitted twice at once with the one run it created", async () => {
    const db = await getDb();
    const input = { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 20 }, includePages: true, includeProducts: false }, requestId: "double-submit-test-1" };
    const answers = await Promise.all([startExecution(admin, input), startExecution(admin, input), startExecution(admin, input)]);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    const ids = new Set(answers.map((answer) => (answer.ok ? answer.executionId : null)));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as string[];
    const reservations = await db.select({ amount: creditLedger.amount }).from(creditLedger).where(and(eq(creditLedger.executionId, id!), eq(creditLedger.kind, "reserve")));
    expect(reservations).toEqual([{ amount: -(5 + 2 * 20) }]);
    const again = await startExecution(admin, input);
    expect(again).toMatchObject({ ok: true, executionId: id, isRepeat: true });
  });
});
