import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bulkJobs, memberships, notifications, storeProducts } from "@/db/schema";
import { catalogueRun, type CatalogueRun } from "@/db/testing/catalogue-run";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { runBulkJobStep } from "@/lib/executions/bulk-steps";
import { deleteExecutions } from "@/lib/executions/delete";
import { staleBulkJobs } from "@/lib/executions/bulk-by-filter";
import { applyRecommendations } from "./apply";
import { applyPartSize, applyPlannedPart, previewApplyAllMatching } from "./apply-in-parts";
import { decideRecommendations } from "./recommendations";
import { getApplyJob, runApplyJobPart, runningApplyJobs, startApplyJob, stopApplyJob, type ApplyJobView } from "./apply-job";

let sam: Ctx;
let maya: Ctx;
let admin: Ctx;
const approved = { priority: [], status: ["approved" as const], q: "", sort: "priority" as const };

/** Previews every approved change of the run and starts applying them in the background, as the dialog does. */
async function startApplyingApproved(ctx: Ctx, executionId: string): Promise<ApplyJobView> {
  const preview = await previewApplyAllMatching(ctx, executionId, approved);
  if (!preview.ok) throw new Error(preview.message);
  const started = await startApplyJob(ctx, executionId, { start: preview.preview.start });
  if (!started.ok) throw new Error(started.message);
  return started.job;
}

/** Works on the job as `worker` until it ends, step after step, as the background function does. */
async function workToTheEnd(jobId: string, worker: string) {
  for (let steps = 0; steps < 50; steps++) {
    const { job } = await runBulkJobStep(jobId, worker);
    if (!job || job.status !== "running") return;
  }
  throw new Error("The job did not end within 50 steps.");
}

async function storeTitlesApplied(run: CatalogueRun): Promise<number> {
  const db = await getDb();
  const rows = await db.select({ id: storeProducts.id, title: storeProducts.title }).from(storeProducts).where(inArray(storeProducts.id, run.recs.map((r) => r.itemRef)));
  const after = new Map(run.recs.map((r) => [r.itemRef, r.after]));
  return rows.filter((row) => row.title === after.get(row.id)).length;
}

async function auditCount(action: string, targetIds: string[]): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, action), inArray(auditLog.targetId, targetIds)));
  return row!.n;
}

async function noticesOf(ctx: Ctx, executionId: string) {
  const db = await getDb();
  return db.select().from(notifications).where(and(eq(notifications.userId, ctx.userId), eq(notifications.executionId, executionId), eq(notifications.kind, "apply_finished")));
}

beforeAll(async () => {
  ({ sam, maya, admin } = await seededPeople());
});

describe("applying every match of a filter as a background job", () => {
  it("applies 600 changes to the end without the page: each once, audited once each and once in all, and the person is told", { timeout: 240_000 }, async () => {
    const run = await catalogueRun(sam, 600, 20);
    const job = await startApplyingApproved(sam, run.executionId);
    expect(job).toMatchObject({ status: "running", expected: 600, remaining: 600, applied: 0, description: "approved" });
    // The run page finds it while it runs, for sam only.
    expect((await runningApplyJobs(sam, run.executionId)).map((j) => j.id)).toEqual([job.id]);
    expect(await runningApplyJobs(maya, run.executionId)).toEqual([]);

    await workToTheEnd(job.id, "worker-a");
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "finished", applied: 600, alreadyApplied: 0, failed: 0, skipped: 0, remaining: 0, ending: null });
    expect(await getApplyJob(maya, job.id)).toBeNull();
    expect(await storeTitlesApplied(run)).toBe(600);
    expect(await auditCount("recommendation.applied", run.recs.map((r) => r.id))).toBe(600);
    expect(await auditCount("recommendation.bulk_applied", [run.executionId])).toBe(1);
    const notices = await noticesOf(sam, run.executionId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: "Applied 600 changes to the store", href: `/executions/${run.executionId}` });
    expect(await runningApplyJobs(sam, run.executionId)).toEqual([]);

    // Working on it again changes nothing.
    await runBulkJobStep(job.id, "worker-b");
    expect(await auditCount("recommendation.applied", run.recs.map((r) => r.id))).toBe(600);
    expect(await auditCount("recommendation.bulk_applied", [run.executionId])).toBe(1);
  });

  it("answers the job under way when the same plan is confirmed twice, and refuses a second plan for the run meanwhile", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 300, 10);
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    const [first, second] = await Promise.all([
      startApplyJob(sam, run.executionId, { start: preview.preview.start }),
      startApplyJob(sam, run.executionId, { start: preview.preview.start }),
    ]);
    if (!first.ok || !second.ok) throw new Error("both confirms should answer the job");
    expect(second.job.id).toBe(first.job.id);
    const db = await getDb();
    expect(await db.select({ id: bulkJobs.id }).from(bulkJobs).where(eq(bulkJobs.executionId, run.executionId))).toHaveLength(1);

    const pending = { ...approved, status: ["pending" as const] };
    const other = await previewApplyAllMatching(sam, run.executionId, pending);
    if (!other.ok) throw new Error(other.message);
    const refused = await startApplyJob(sam, run.executionId, { start: other.preview.start });
    expect(refused).toMatchObject({ ok: false, code: "conflict", message: expect.stringContaining("You are already applying 300 changes of approved to this run") });
    await workToTheEnd(first.job.id, "worker-a");
    expect(await storeTitlesApplied(run)).toBe(300);
  });

  it("stops after the part under way when asked, and says how many were not applied", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const job = await startApplyingApproved(sam, run.executionId);
    await runApplyJobPart(job.id, "worker-a");
    const asked = await stopApplyJob(sam, job.id);
    expect(asked).toMatchObject({ ok: true, job: { status: "running", isStopRequested: true } });
    expect(await stopApplyJob(maya, job.id)).toMatchObject({ ok: false, code: "not_found" });
    // Asking again changes nothing, and the audit log has the one request, by whom.
    expect(await stopApplyJob(sam, job.id)).toMatchObject({ ok: true, job: { status: "running", isStopRequested: true } });
    const db = await getDb();
    const requests = await db.select().from(auditLog).where(and(eq(auditLog.action, "recommendation.apply_stop_requested"), eq(auditLog.targetId, run.executionId)));
    expect(requests.map((r) => [r.actorUserId, (r.data as { jobId: string }).jobId])).toEqual([[sam.userId, job.id]]);
    await workToTheEnd(job.id, "worker-a");
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "stopped", applied: applyPartSize, remaining: 600 - applyPartSize, ending: "Stopped. 350 changes not applied; the changes applied stay applied." });
    expect(await storeTitlesApplied(run)).toBe(applyPartSize);
    expect((await noticesOf(sam, run.executionId))[0]).toMatchObject({ title: `Applying stopped after ${applyPartSize} changes` });
  });

  it("names the admin who stopped someone else's job in its summary", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 300);
    const job = await startApplyingApproved(sam, run.executionId);
    await runApplyJobPart(job.id, "worker-a");
    expect(await stopApplyJob(admin, job.id)).toMatchObject({ ok: true, job: { isStopRequested: true } });
    await workToTheEnd(job.id, "worker-a");
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "stopped", ending: "Stopped by Avery Admin. 50 changes not applied; the changes applied stay applied." });
  });

  it("after a worker died between applying a part and recording it, a stop counts that part as applied, not as left", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const job = await startApplyingApproved(sam, run.executionId);
    await runApplyJobPart(job.id, "worker-a");
    // worker-a applies its second part, as runApplyJobPart does, and dies before recording it.
    const db = await getDb();
    const [held] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, job.id));
    const unrecorded = await applyPlannedPart(sam, run.executionId, held!.apply!.next!, job.id);
    expect(unrecorded).toMatchObject({ ok: true });
    expect(await stopApplyJob(sam, job.id)).toMatchObject({ ok: true });
    await db.update(bulkJobs).set({ heartbeatAt: sql`now() - interval '31 seconds'` }).where(eq(bulkJobs.id, job.id));
    await workToTheEnd(job.id, "worker-b");
    expect(await getApplyJob(sam, job.id)).toMatchObject({
      status: "stopped", applied: 2 * applyPartSize, remaining: 600 - 2 * applyPartSize,
      ending: "Stopped. 100 changes not applied; the changes applied stay applied.",
    });
    expect(await storeTitlesApplied(run)).toBe(2 * applyPartSize);
  });

  it("is held by one worker at a time; a worker that stopped beating is replaced, and nothing applies twice", { timeout: 240_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const job = await startApplyingApproved(sam, run.executionId);
    expect((await runApplyJobPart(job.id, "worker-a")).handled).toBe(applyPartSize);
    // Another process handed the same job (a sweep, a second instance) leaves it to its holder.
    const held = await runBulkJobStep(job.id, "worker-b");
    expect(held).toMatchObject({ handled: 0, isHeldElsewhere: true });
    expect(await staleBulkJobs()).not.toContainEqual(expect.objectContaining({ id: job.id }));

    // worker-a died: its heartbeat ages past the hold, the sweep finds the job and worker-b takes it over.
    const db = await getDb();
    await db.update(bulkJobs).set({ heartbeatAt: sql`now() - interval '31 seconds'` }).where(eq(bulkJobs.id, job.id));
    expect(await staleBulkJobs()).toContainEqual(expect.objectContaining({ id: job.id }));
    await workToTheEnd(job.id, "worker-b");
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "finished", applied: 600 });
    // worker-a, come back to life, finds nothing of it to do.
    expect(await runApplyJobPart(job.id, "worker-a")).toMatchObject({ handled: 0 });
    expect(await storeTitlesApplied(run)).toBe(600);
    expect(await auditCount("recommendation.applied", run.recs.map((r) => r.id))).toBe(600);
  });

  it("counts changes someone else rejected or applied after the preview, which left the plan's filter, as left alone", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 300);
    const job = await startApplyingApproved(sam, run.executionId);
    // Before the job's first part, in another tab, 3 of the approved ones are rejected and 2 applied one by one.
    const rejected = run.recs.slice(0, 3).map((r) => r.id);
    const byHand = run.recs.slice(3, 5).map((r) => r.id);
    expect((await decideRecommendations(sam, run.executionId, { ids: rejected, decision: "rejected" })).ok).toBe(true);
    expect((await applyRecommendations(sam, run.executionId, { ids: byHand })).ok).toBe(true);
    await workToTheEnd(job.id, "worker-a");
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "finished", expected: 300, applied: 295, alreadyApplied: 0, failed: 0, skipped: 5, changedElsewhere: 5 });
    expect(await storeTitlesApplied(run)).toBe(297);
    expect((await noticesOf(sam, run.executionId))[0]!.body).toContain("5 changes changed after your preview and were left alone");
  });

  it("stops with the reason when the person may no longer apply, or the run is deleted", { timeout: 120_000 }, async () => {
    const db = await getDb();
    const run = await catalogueRun(sam, 300);
    const job = await startApplyingApproved(sam, run.executionId);
    await db.delete(memberships).where(and(eq(memberships.userId, sam.userId), eq(memberships.workspaceId, sam.workspaceId)));
    try {
      await workToTheEnd(job.id, "worker-a");
    } finally {
      await db.insert(memberships).values({ userId: sam.userId, workspaceId: sam.workspaceId, role: sam.role });
    }
    expect(await getApplyJob(sam, job.id)).toMatchObject({ status: "stopped", applied: 0, ending: "The person who started it is no longer a member of this workspace, so 300 changes were not applied." });
    expect(await storeTitlesApplied(run)).toBe(0);

    const second = await catalogueRun(sam, 600);
    const doomed = await startApplyingApproved(sam, second.executionId);
    await runApplyJobPart(doomed.id, "worker-a");
    const deleted = await deleteExecutions(sam, [second.executionId]);
    expect(deleted.ok).toBe(true);
    await workToTheEnd(doomed.id, "worker-a");
    expect(await getApplyJob(sam, doomed.id)).toMatchObject({ status: "stopped", executionId: null, applied: applyPartSize, ending: "The run was deleted; nothing after that was applied." });
  });

  it("refuses a plan that is not one Runlog gave, or of another run, changing nothing", async () => {
    const run = await catalogueRun(sam, 5);
    const other = await catalogueRun(sam, 5);
    const preview = await previewApplyAllMatching(sam, other.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    expect(await startApplyJob(sam, run.executionId, { start: preview.preview.start })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("belongs to another execution") });
    expect(await startApplyJob(sam, run.executionId, { start: "nonsense" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await startApplyJob(sam, run.executionId, {})).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("Confirm the preview") });
    const db = await getDb();
    expect(await db.select().from(bulkJobs).where(eq(bulkJobs.executionId, run.executionId))).toEqual([]);
  });
});
