import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditAccounts, creditLedger, executionItems, executionLogs, executionResults, executions, platformConnections, recommendations } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { moveCredits } from "@/lib/credits/ledger";
import { runExecutionInProcess } from "@/inngest/embedded";
import { requestCancel } from "./cancel";
import { batchSize, beginExecution, finishExecution, processBatch } from "./engine";
import { startExecution } from "./start";

let admin: Ctx;

async function balance(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.workspaceId, admin.workspaceId));
  return row!.balance;
}

async function ledgerSum(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ sum: sql<string>`coalesce(sum(${creditLedger.amount}), 0)` }).from(creditLedger).where(eq(creditLedger.workspaceId, admin.workspaceId));
  return Number(row!.sum);
}

async function execution(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(executions).where(eq(executions.id, id));
  return row!;
}

async function setHealth(health: "active" | "lost" | "rate_limited" | "slow", extra: { rateLimitPerSecond?: number; latencyMs?: number } = {}) {
  const db = await getDb();
  await db.update(platformConnections).set({ health, rateLimitPerSecond: extra.rateLimitPerSecond ?? null, latencyMs: extra.latencyMs ?? null }).where(eq(platformConnections.workspaceId, admin.workspaceId));
}

const seoOnPages = (maxItems: number) => ({
  agentId: "seo-audit",
  settings: { scope: { mode: "all", maxItems }, includePages: true, includeProducts: false },
});

beforeAll(async () => {
  const db = await getDb();
  admin = await seededCtx("admin@acme.test");
  // The seed leaves runs in progress; finish them first so balances here only move by these tests.
  const unfinished = await db.select({ id: executions.id }).from(executions).where(and(eq(executions.workspaceId, admin.workspaceId), sql`${executions.status} in ('queued', 'running')`));
  await Promise.all(unfinished.map((e) => runExecutionInProcess({ executionId: e.id, workspaceId: admin.workspaceId })));
});

describe("running an agent", () => {
  it("audits 20 pages end to end: completed, every item scored, charged for what it processed", async () => {
    const before = await balance();
    const started = await startExecution(admin, seoOnPages(20));
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const queued = await execution(started.executionId);
    expect(queued).toMatchObject({ status: "queued", itemsTotal: 20, creditsReserved: 5 + 2 * 20 });
    expect(await balance()).toBe(before - 45);

    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    const done = await execution(started.executionId);
    expect(done).toMatchObject({ status: "completed", itemsProcessed: 20, itemsFailed: 0, creditsCharged: 45, creditsRefunded: 0 });
    expect(done.finishedAt).not.toBeNull();
    expect(done.preview).toMatch(/^Avg SEO score \d+ · \d+ recommendations?$/);

    const db = await getDb();
    const items = await db.select().from(executionItems).where(eq(executionItems.executionId, started.executionId));
    expect(items).toHaveLength(20);
    expect(items.every((i) => i.itemType === "page" && i.score !== null && i.score >= 0 && i.score <= 100)).toBe(true);
    const kinds = (await db.select({ kind: executionResults.kind }).from(executionResults).where(eq(executionResults.executionId, started.executionId))).map((r) => r.kind);
    expect(kinds.sort()).toEqual(["action_items", "recommendations", "report", "scores"]);
    const logSteps = (await db.select({ step: executionLogs.step }).from(executionLogs).where(eq(executionLogs.executionId, started.executionId)).orderBy(executionLogs.seq)).map((l) => l.step);
    expect(logSteps[0]).toBe("start");
    expect(logSteps.at(-1)).toBe("finish");
    expect(await balance()).toBe(before - 45);
    expect(await ledgerSum()).toBe(await balance());
  });

  it("ends partial when some products cannot be written for: each failure has its reason, only the written ones are charged", async () => {
    const before = await balance();
    const started = await startExecution(admin, { agentId: "product-description-writer", settings: { scope: { mode: "all", maxItems: 10_000 }, tone: "friendly", onlyWeakDescriptions: true } });
    if (!started.ok) throw new Error(started.message);
    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    const done = await execution(started.executionId);
    expect(done.status).toBe("partial");
    expect(done.itemsFailed).toBeGreaterThan(0);
    expect(done.itemsProcessed + done.itemsFailed).toBe(done.itemsTotal);
    expect(done.creditsCharged).toBe(2 + 4 * done.itemsProcessed);
    expect(done.creditsRefunded).toBe(4 * done.itemsFailed);
    expect(done.preview).toMatch(new RegExp(`· ${done.itemsFailed} items? failed$`));
    expect(await balance()).toBe(before - done.creditsCharged);

    const db = await getDb();
    const failed = await db.select().from(executionItems).where(and(eq(executionItems.executionId, started.executionId), eq(executionItems.outcome, "failed")));
    expect(failed).toHaveLength(done.itemsFailed);
    expect(failed.every((i) => /Not enough product details/.test(i.reason ?? ""))).toBe(true);
    const written = await db.select({ n: count() }).from(recommendations).where(eq(recommendations.executionId, started.executionId));
    expect(written[0]!.n).toBe(done.itemsProcessed);
    const warnings = await db.select().from(executionLogs).where(and(eq(executionLogs.executionId, started.executionId), eq(executionLogs.level, "warn")));
    expect(warnings.map((w) => w.message)).toContain(`Could not process “${failed[0]!.itemLabel}”: ${failed[0]!.reason}`);
  });

  it("refuses to start with a lost connection, and changes nothing", async () => {
    const db = await getDb();
    const [{ n: runsBefore }] = (await db.select({ n: count() }).from(executions)) as [{ n: number }];
    const before = await balance();
    await setHealth("lost");
    const refused = await startExecution(admin, seoOnPages(20));
    await setHealth("active");
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    if (!refused.ok) expect(refused.message).toMatch(/connection is lost/);
    expect(await balance()).toBe(before);
    const [{ n: runsAfter }] = (await db.select({ n: count() }).from(executions)) as [{ n: number }];
    expect(runsAfter).toBe(runsBefore);
  });

  it("refuses invalid settings with a readable reason and no charge", async () => {
    const before = await balance();
    const refused = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "collection", maxItems: 5 } } });
    expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
    if (!refused.ok) expect(refused.message).toMatch(/collection/i);
    const unknownAgent = await startExecution(admin, { agentId: "nope", settings: {} });
    expect(unknownAgent).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await balance()).toBe(before);
  });

  it("fails with connection_lost when the store drops mid-run, and refunds everything", async () => {
    const before = await balance();
    const started = await startExecution(admin, seoOnPages(10));
    if (!started.ok) throw new Error(started.message);
    await setHealth("lost");
    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    await setHealth("active");
    const failed = await execution(started.executionId);
    expect(failed).toMatchObject({ status: "failed", errorCode: "connection_lost", creditsCharged: 0, creditsRefunded: failed.creditsReserved });
    expect(failed.errorMessage).toMatch(/connection to the store was lost/);
    expect(failed.errorHint).toBeTruthy();
    const db = await getDb();
    const [errorLine] = await db.select().from(executionLogs).where(and(eq(executionLogs.executionId, failed.id), eq(executionLogs.seq, failed.errorLogSeq!)));
    expect(errorLine?.level).toBe("error");
    expect(await balance()).toBe(before);
    expect(await ledgerSum()).toBe(before);
  });

  it("retries a rate-limited platform and fails with rate_limited when it never lets up", async () => {
    const started = await startExecution(admin, seoOnPages(5));
    if (!started.ok) throw new Error(started.message);
    await setHealth("rate_limited", { rateLimitPerSecond: 0 });
    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    await setHealth("active");
    expect(await execution(started.executionId)).toMatchObject({ status: "failed", errorCode: "rate_limited", creditsCharged: 0 });
  });

  it("fails with timeout when the platform is slower than the step allows, and refunds everything", async () => {
    const before = await balance();
    const started = await startExecution(admin, seoOnPages(5));
    if (!started.ok) throw new Error(started.message);
    await setHealth("slow", { latencyMs: 1500 });
    process.env.RUNLOG_STEP_TIMEOUT_MS = "300";
    try {
      await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    } finally {
      delete process.env.RUNLOG_STEP_TIMEOUT_MS;
      await setHealth("active");
    }
    const failed = await execution(started.executionId);
    expect(failed).toMatchObject({ status: "failed", errorCode: "timeout", creditsCharged: 0 });
    expect(failed.errorHint).toMatch(/slow/);
    expect(await balance()).toBe(before);
  });

  it("cancels between batches: charges the processed items and refunds the rest", async () => {
    const before = await balance();
    const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 350 }, includePages: true, includeProducts: true } });
    if (!started.ok) throw new Error(started.message);
    const owner = "instance:test-canceler";
    expect((await beginExecution(started.executionId, owner)).shouldRun).toBe(true);
    expect(await processBatch(started.executionId, owner, 0)).toEqual({ shouldContinue: true });
    expect((await requestCancel(admin, started.executionId)).ok).toBe(true);
    expect(await processBatch(started.executionId, owner, 1)).toEqual({ shouldContinue: false });
    const canceled = await execution(started.executionId);
    expect(canceled).toMatchObject({ status: "canceled", itemsProcessed: batchSize, creditsReserved: 5 + 2 * 350, creditsCharged: 5 + 2 * batchSize, creditsRefunded: 2 * (350 - batchSize) });
    expect(await balance()).toBe(before - (5 + 2 * batchSize));
    expect(await ledgerSum()).toBe(await balance());
  });

  it("resumes after a crash from the last finished batch without processing any item twice", async () => {
    const started = await startExecution(admin, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 300 }, includePages: true, includeProducts: true } });
    if (!started.ok) throw new Error(started.message);
    // An instance does the first batch, then dies: nothing renews its lease any more.
    const dead = "instance:test-dead";
    await beginExecution(started.executionId, dead);
    await processBatch(started.executionId, dead, 0);
    const db = await getDb();
    await db.update(executions).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(executions.id, started.executionId));
    expect(await execution(started.executionId)).toMatchObject({ status: "running", itemsProcessed: batchSize, batchesDone: 1 });

    await runExecutionInProcess({ executionId: started.executionId, workspaceId: admin.workspaceId });
    const done = await execution(started.executionId);
    expect(done).toMatchObject({ status: "completed", itemsProcessed: 300, creditsCharged: 5 + 2 * 300, creditsRefunded: 0 });
    const [{ n, distinct }] = (await db.select({ n: count(), distinct: sql<number>`count(distinct ${executionItems.itemRef})::int` }).from(executionItems).where(eq(executionItems.executionId, done.id))) as [{ n: number; distinct: number }];
    expect(n).toBe(300);
    expect(distinct).toBe(300);
    const recs = await db.select({ ref: recommendations.itemRef, field: recommendations.field }).from(recommendations).where(eq(recommendations.executionId, done.id));
    expect(new Set(recs.map((r) => `${r.ref}:${r.field}`)).size).toBe(recs.length);
    const resumed = await db.select({ message: executionLogs.message }).from(executionLogs).where(and(eq(executionLogs.executionId, done.id), eq(executionLogs.step, "resume")));
    expect(resumed.map((line) => line.message)).toEqual(["Resumed after an interruption (the worker running it stopped), from batch 2 of 2"]);
  });

  it("reads the next batch while writing the last, and records the same items and findings as a run taken one batch at a time", async () => {
    const settings = { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 2 * batchSize + 50 }, includePages: true, includeProducts: true } };
    const stepwise = await startExecution(admin, settings);
    const pipelined = await startExecution(admin, settings);
    if (!stepwise.ok || !pipelined.ok) throw new Error("not started");
    const owner = "instance:test-stepwise";
    await beginExecution(stepwise.executionId, owner);
    for (let batch = 0; batch < 3; batch++) await processBatch(stepwise.executionId, owner, batch);
    await finishExecution(stepwise.executionId, owner);
    await runExecutionInProcess({ executionId: pipelined.executionId, workspaceId: admin.workspaceId });

    const db = await getDb();
    const found = async (executionId: string) => ({
      items: await db.select({ ref: executionItems.itemRef, outcome: executionItems.outcome, score: executionItems.score }).from(executionItems).where(eq(executionItems.executionId, executionId)).orderBy(executionItems.itemRef),
      changes: await db.select({ ref: recommendations.itemRef, field: recommendations.field, after: recommendations.afterValue }).from(recommendations).where(eq(recommendations.executionId, executionId)).orderBy(recommendations.itemRef, recommendations.field),
      run: await execution(executionId),
    });
    const [one, other] = [await found(stepwise.executionId), await found(pipelined.executionId)];
    expect(other.run).toMatchObject({ status: "completed", itemsProcessed: 2 * batchSize + 50, batchesDone: 3, creditsCharged: one.run.creditsCharged });
    expect(new Set(other.items.map((item) => item.ref)).size).toBe(2 * batchSize + 50);
    expect(other.items).toEqual(one.items);
    expect(other.changes).toEqual(one.changes);
  });

  it("never overdraws: of 50 concurrent starts against a balance for 10, exactly 10 are queued", async () => {
    const db = await getDb();
    const cost = 5 + 2 * 20;
    const current = await balance();
    await db.transaction(async (tx) => {
      const drained = await moveCredits(tx, { workspaceId: admin.workspaceId, kind: "reserve", amount: current - (cost * 10 + cost - 1), idempotencyKey: "test:drain" });
      expect(drained.ok).toBe(true);
    });
    const attempts = await Promise.all(Array.from({ length: 50 }, () => startExecution(admin, seoOnPages(20))));
    const accepted = attempts.filter((a) => a.ok);
    const refused = attempts.filter((a) => !a.ok);
    expect(accepted).toHaveLength(10);
    expect(refused.every((r) => !r.ok && r.code === "insufficient_credits")).toBe(true);
    expect(await balance()).toBe(cost - 1);
    expect(await ledgerSum()).toBe(await balance());
  });
});
