import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, creditLedger, executions, workflows } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution } from "@/lib/executions/queries";
import { createWorkflow, listWorkflows, updateWorkflow } from "./manage";
import { runDueWorkflows } from "./run-due";

describe("automated workflows", () => {
  let sam: Ctx;
  let lee: Ctx;
  beforeAll(async () => {
    sam = await seededCtx("sam@acme.test");
    lee = await seededCtx("lee@acme.test");
  });

  it("refuses a bad schedule or name with a sentence, and creates nothing", async () => {
    const before = (await listWorkflows(sam)).length;
    const badCron = await createWorkflow(sam, { name: "Nightly", agentId: "seo-audit", schedule: "every night", maxItems: 10 });
    expect(badCron).toMatchObject({ ok: false, code: "invalid_input" });
    if (!badCron.ok) expect(badCron.message).toMatch(/five cron fields/);
    const outOfRange = await createWorkflow(sam, { name: "Nightly", agentId: "seo-audit", schedule: "99 2 * * *", maxItems: 10 });
    expect(outOfRange).toMatchObject({ ok: false, code: "invalid_input" });
    const noName = await createWorkflow(sam, { name: " ", agentId: "seo-audit", schedule: "0 2 * * *", maxItems: 10 });
    expect(noName).toMatchObject({ ok: false, code: "invalid_input" });
    expect((await listWorkflows(sam)).length).toBe(before);
  });

  it("creates one workflow for a form's try sent twice, one after the other or at once, and audits it once; another person's same id creates their own", async () => {
    const db = await getDb();
    const named = async (name: string) => db.select({ id: workflows.id, createdBy: workflows.createdBy }).from(workflows).where(eq(workflows.name, name));
    const audited = async (id: string) => (await db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "workflow.created")))).length;
    const input = { name: `Hourly audit ${randomUUID()}`, agentId: "seo-audit", schedule: "0 * * * *", maxItems: 5, isEnabled: false, submissionId: randomUUID() };

    const first = await createWorkflow(sam, input);
    if (!first.ok) throw new Error(first.message);
    expect(await createWorkflow(sam, input)).toEqual({ ok: true, workflowId: first.workflowId, isRepeat: true });
    expect(await named(input.name)).toEqual([{ id: first.workflowId, createdBy: sam.userId }]);
    expect(await audited(first.workflowId)).toBe(1);

    const atOnce = { ...input, name: `Sent at once ${randomUUID()}`, submissionId: randomUUID() };
    const both = await Promise.all([createWorkflow(sam, atOnce), createWorkflow(sam, atOnce)]);
    expect(both.map((answer) => answer.ok && answer.isRepeat).sort()).toEqual([false, true]);
    const made = await named(atOnce.name);
    expect(made).toHaveLength(1);
    expect(both.map((answer) => answer.ok && answer.workflowId)).toEqual([made[0]!.id, made[0]!.id]);
    expect(await audited(made[0]!.id)).toBe(1);

    // The same id from another person is theirs alone.
    expect(await createWorkflow(lee, atOnce)).toMatchObject({ ok: true, isRepeat: false });
    expect((await named(atOnce.name)).map((workflow) => workflow.createdBy).sort()).toEqual([sam.userId, lee.userId].sort());
  });

  it("runs a due workflow once per slot; its run shows the workflow and its creator sees it", async () => {
    const created = await createWorkflow(sam, { name: "Morning pages audit", agentId: "performance-audit", schedule: "0 6 * * *", maxItems: 5 }, new Date("2026-11-20T12:00:00Z"));
    if (!created.ok) throw new Error(created.message);
    const db = await getDb();
    const [workflow] = await db.select().from(workflows).where(eq(workflows.id, created.workflowId));
    expect(workflow!.nextRunAt?.toISOString()).toBe("2026-11-21T06:00:00.000Z");

    const at = new Date("2026-11-21T06:00:30Z");
    const [first, second] = await Promise.all([runDueWorkflows(at), runDueWorkflows(at)]);
    const mine = [...first.queued, ...second.queued].filter((q) => q.workflowId === created.workflowId);
    expect(mine).toHaveLength(1);

    const [execution] = await db.select().from(executions).where(eq(executions.id, mine[0]!.executionId));
    expect(execution).toMatchObject({ workflowId: created.workflowId, triggeredBy: null, status: "queued", itemsTotal: 5 });
    expect(await getVisibleExecution(sam, execution!.id)).not.toBeNull();
    expect(await getVisibleExecution(lee, execution!.id)).toBeNull();
    const [reserve] = await db.select().from(creditLedger).where(eq(creditLedger.executionId, execution!.id));
    expect(reserve).toMatchObject({ kind: "reserve", userId: sam.userId });

    const [after] = await db.select().from(workflows).where(eq(workflows.id, created.workflowId));
    expect(after!.nextRunAt?.toISOString()).toBe("2026-11-22T06:00:00.000Z");
  });

  it("does not run a disabled workflow, and only its creator or an admin may change it", async () => {
    const created = await createWorkflow(sam, { name: "Weekly copy", agentId: "product-description-writer", schedule: "0 9 * * 1", maxItems: 3 }, new Date("2026-11-20T12:00:00Z"));
    if (!created.ok) throw new Error(created.message);
    expect(await updateWorkflow(lee, { workflowId: created.workflowId, isEnabled: false })).toMatchObject({ ok: false, code: "not_found" });
    expect(await updateWorkflow(sam, { workflowId: created.workflowId, isEnabled: false })).toEqual({ ok: true });
    const { queued } = await runDueWorkflows(new Date("2026-11-23T09:00:30Z"));
    expect(queued.filter((q) => q.workflowId === created.workflowId)).toEqual([]);
    expect(await updateWorkflow(sam, { workflowId: "not-an-id" })).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("edits name, schedule and scope size without touching what was not sent", async () => {
    const created = await createWorkflow(sam, { name: "Daily perf", agentId: "performance-audit", schedule: "0 2 * * *", maxItems: 10, isEnabled: false }, new Date("2026-11-20T12:00:00Z"));
    if (!created.ok) throw new Error(created.message);
    const edited = await updateWorkflow(sam, { workflowId: created.workflowId, name: "Weekly perf", schedule: "0 6 * * 1", timeZone: "Europe/Berlin", maxItems: 40 }, new Date("2026-11-20T12:00:00Z"));
    expect(edited).toEqual({ ok: true });
    const db = await getDb();
    const [after] = await db.select().from(workflows).where(eq(workflows.id, created.workflowId));
    expect(after).toMatchObject({ name: "Weekly perf", schedule: "0 6 * * 1", timeZone: "Europe/Berlin", isEnabled: false, nextRunAt: null });
    expect((after!.settings as { scope: { maxItems: number } }).scope.maxItems).toBe(40);

    expect(await updateWorkflow(sam, { workflowId: created.workflowId, isEnabled: true }, new Date("2026-11-20T12:00:00Z"))).toEqual({ ok: true });
    const [enabled] = await db.select().from(workflows).where(eq(workflows.id, created.workflowId));
    // Monday 23 November, 06:00 in Berlin is 05:00 UTC.
    expect(enabled!.nextRunAt?.toISOString()).toBe("2026-11-23T05:00:00.000Z");
    const refused = await updateWorkflow(sam, { workflowId: created.workflowId, maxItems: 0 });
    expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
