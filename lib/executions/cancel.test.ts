import { and, asc, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, executionItems, executionLogs, platformConnections } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { executionById, startSeoAudit, waitFor } from "@/db/testing/runs";
import { runExecutionInProcess } from "@/inngest/embedded";
import { warmAnalysisThreads } from "@/lib/agents/analysis/pool";
import type { Ctx } from "@/lib/auth/context";
import { requestCancel } from "./cancel";
import { progressOf } from "./progress";

let admin: Ctx;


async function setLatency(latencyMs: number | null) {
  const db = await getDb();
  await db.update(platformConnections).set({ health: latencyMs ? "slow" : "active", latencyMs }).where(eq(platformConnections.workspaceId, admin.workspaceId));
}



beforeAll(async () => {
  admin = await seededCtx("admin@acme.test");
  await warmAnalysisThreads(); // as the app does when it starts
});

describe("canceling a run", () => {
  it("stops a 50-item run inside its only batch within a second, charging only the items it processed", async () => {
    // Each call to the store takes 600 ms and reads 25 items: the cancel lands during the first.
    await setLatency(600);
    const id = await startSeoAudit(admin, 50);
    const running = runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    await waitFor(async () => (await executionById(id)).status === "running", "the run to start");
    await new Promise((resolve) => setTimeout(resolve, 250)); // inside the first call to the store
    const asked = Date.now();
    expect(await requestCancel(admin, id)).toEqual({ ok: true, status: "canceling" });
    await running;
    const tookMs = Date.now() - asked;
    await setLatency(null);

    const canceled = await executionById(id);
    expect(canceled).toMatchObject({ status: "canceled", itemsProcessed: 25, itemsFailed: 0, creditsReserved: 5 + 2 * 50, creditsCharged: 5 + 2 * 25, creditsRefunded: 2 * 25 });
    // About half a second on an idle machine; the bound leaves room for a loaded CI machine
    // (1.8 s seen at load 15). Canceling only between batches would have done all 50 items.
    expect(tookMs).toBeLessThan(3000);
    const db = await getDb();
    const [items] = await db.select({ n: count() }).from(executionItems).where(eq(executionItems.executionId, id));
    expect(items!.n).toBe(25);
    const lines = await db.select({ step: executionLogs.step, message: executionLogs.message, at: executionLogs.at }).from(executionLogs).where(and(eq(executionLogs.executionId, id), eq(executionLogs.step, "cancel"))).orderBy(asc(executionLogs.seq));
    expect(lines.map((line) => line.message)).toEqual([
      expect.stringMatching(/^Cancel requested by .+ after 0 of 50 items$/),
      "Canceled after 25 of 50 items; charged 55 credits, refunded 50",
    ]);
    expect(lines[1]!.at.getTime() - lines[0]!.at.getTime()).toBeLessThan(3000);
    expect(canceled.finishedAt!.getTime() - canceled.cancelRequestedAt!.getTime()).toBeLessThan(3000);
  });

  it("writes one audit entry and one log line however often cancel is asked", async () => {
    await setLatency(400);
    const id = await startSeoAudit(admin, 100);
    const running = runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    await waitFor(async () => (await executionById(id)).status === "running", "the run to start");
    const answers = await Promise.all([requestCancel(admin, id), requestCancel(admin, id), requestCancel(admin, id)]);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    await running;
    await setLatency(null);
    expect(await requestCancel(admin, id)).toMatchObject({ ok: false, code: "conflict" });
    const db = await getDb();
    const [audits] = await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "execution.cancel_requested")));
    expect(audits!.n).toBe(1);
    const requested = await db.select({ n: count() }).from(executionLogs).where(and(eq(executionLogs.executionId, id), sql`${executionLogs.message} like 'Cancel requested%'`));
    expect(requested[0]!.n).toBe(1);
    expect((await executionById(id)).status).toBe("canceled");
  });

  it("cancels a queued run nobody has taken up at once, with a full refund", async () => {
    const id = await startSeoAudit(admin, 20);
    expect(await requestCancel(admin, id)).toEqual({ ok: true, status: "canceled" });
    expect(await executionById(id)).toMatchObject({ status: "canceled", creditsCharged: 0, creditsRefunded: 5 + 2 * 20 });
  });
});

describe("progress while a run works", () => {
  it("counts items as they are done, so the bar moves inside a batch", async () => {
    await setLatency(150);
    const id = await startSeoAudit(admin, 200);
    const running = runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    const seen = new Set<number>();
    const summaries = new Set<string>();
    while ((await executionById(id)).status !== "completed") {
      const progress = progressOf(await executionById(id));
      seen.add(progress.itemsDone);
      summaries.add(progress.summary);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await running;
    await setLatency(null);
    // One batch of 200 items: before, the bar went from 0 straight to 200.
    const between = [...seen].filter((n) => n > 0 && n < 200);
    expect(between.length).toBeGreaterThanOrEqual(3);
    expect([...summaries].some((line) => /^Running: \d+ of 200 items done$/.test(line))).toBe(true);
    expect([...summaries]).not.toContain("Waiting to start");
  });
});
