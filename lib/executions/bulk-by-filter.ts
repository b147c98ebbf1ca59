/**
 * Bulk actions on everything a filter matches (F19): "Select all N matching" on Past
 * executions. The person first sees the exact count and what will happen (`planBulkAction`),
 * then confirms that count (`startBulkAction`). The work is a job (db/schema/bulk.ts) done in
 * batches of `bulkBatchSize` runs, newest first, each batch one short transaction that also
 * records how far it got: a job that stops (a crash, a restart) resumes after its last batch,
 * and a batch done twice changes nothing twice. A run that is queued or running when its batch
 * comes — one that started meanwhile included — is never deleted, only counted as skipped.
 * A bulk delete is audited once, with the count and the filter.
 */
import { and, eq, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { bulkJobs, executions, memberships, shareAccessLog, type BulkJob } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import { recordAudit } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { requestCancel } from "./cancel";
import { listFilterConditions } from "./list";
import { listQueryString, parseListRequest, rangePresets, type ListFilter } from "./list-filter";
import { visibleExecutionIds } from "./visibility";

const bulkBatchSize = 500;
const bulkActions = ["delete", "cancel"] as const;
type BulkAction = (typeof bulkActions)[number];

const planSchema = z.object({
  action: z.enum(bulkActions, { error: "Choose delete or cancel." }),
  query: z.string().max(4000, "Those filters are too long."),
});
const startSchema = planSchema.extend({ expected: z.number({ error: "Confirm how many runs." }).int().min(0) });

export type BulkPlan = { action: BulkAction; query: string; description: string; matching: number; acting: number; skipped: number; sentence: string };

/** The filter in words, for the confirm and the audit log: "SEO audit · failed · last 30 days · “timeout”". */
function describeFilter(filter: ListFilter): string {
  const parts = [
    filter.agents.map(agentName).join(" or "),
    filter.statuses.join(" or "),
    filter.outcome === "success" ? "succeeded" : filter.outcome === "failure" ? "failed or partial" : "",
    filter.range ? rangePresets[filter.range].toLowerCase() : "",
    filter.from || filter.to ? `${filter.from ?? "…"} to ${filter.to ?? "…"}` : "",
    filter.id ? `ID ${filter.id}…` : "",
    filter.q ? `“${filter.q}”` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "every run you can see";
}

const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/**
 * What a bulk action over the filter in `query` would do, counted now: how many runs match,
 * how many it acts on and how many it leaves (for delete: runs still queued or running, and
 * runs someone else started when the person is not an admin; for cancel: runs already finished).
 */
export async function planBulkAction(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome<{ plan: BulkPlan }>> {
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const request = parseListRequest(new URLSearchParams(parsed.data.query));
  if (!request.ok) return request;
  const { filter } = request;
  const ids = visibleExecutionIds(ctx, listFilterConditions(filter, now), null, 100_000_000);
  const db = await getDb();
  const mine = isAdmin(ctx) ? sql`true` : sql`${executions.triggeredBy} = ${ctx.userId}`;
  const [counts] = await db
    .select({
      matching: sql<number>`count(*)::int`,
      live: sql<number>`(count(*) filter (where ${executions.status} in ('queued', 'running')))::int`,
      deletable: sql<number>`(count(*) filter (where ${executions.status} not in ('queued', 'running') and ${mine}))::int`,
      cancelable: sql<number>`(count(*) filter (where ${executions.status} in ('queued', 'running') and ${mine}))::int`,
    })
    .from(executions)
    .where(sql`${executions.id} in (${ids})`);
  const { matching, live, deletable, cancelable } = counts!;
  const action = parsed.data.action;
  const acting = action === "delete" ? deletable : cancelable;
  const description = describeFilter(filter);
  const leftOut = action === "delete"
    ? [live ? `${plural(live, "queued or running run")} ${live === 1 ? "is" : "are"} left alone` : "", matching - live - deletable > 0 ? `${plural(matching - live - deletable, "run")} someone else started ${matching - live - deletable === 1 ? "is" : "are"} left alone` : ""]
    : [matching - live ? `${plural(matching - live, "finished run")} ${matching - live === 1 ? "is" : "are"} left alone` : "", live - cancelable > 0 ? `${plural(live - cancelable, "run")} someone else started ${live - cancelable === 1 ? "is" : "are"} left alone` : ""];
  const what = action === "delete" ? `Delete ${plural(acting, "run")} of ${description}; no credits are refunded` : `Cancel ${plural(acting, "run")} of ${description}; unused credits are refunded`;
  const sentence = `${[what, ...leftOut.filter(Boolean)].join("; ")}.`;
  return { ok: true, plan: { action, query: listQueryString(filter), description, matching, acting, skipped: matching - acting, sentence } };
}

/**
 * Starts a confirmed bulk action: refuses when the filter no longer matches the number the
 * person confirmed (someone started or deleted runs since), else records the job and answers
 * it; `runBulkJob` then works through it (the caller hands it to the background).
 */
export async function startBulkAction(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome<{ job: BulkJob }>> {
  const parsed = startSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  if (ctx.linkShare) return failure("forbidden", "Sign in to act on runs.");
  const planned = await planBulkAction(ctx, parsed.data, now);
  if (!planned.ok) return planned;
  const { plan } = planned;
  if (plan.acting !== parsed.data.expected) {
    return failure("conflict", `These filters now match ${plural(plan.acting, "run")} to ${plan.action}, not ${parsed.data.expected.toLocaleString("en")}; check the count and confirm again.`);
  }
  if (plan.acting === 0) return failure("invalid_input", `No run matching these filters can be ${plan.action === "delete" ? "deleted" : "canceled"}.`);
  const db = await getDb();
  const [job] = await db
    .insert(bulkJobs)
    .values({ workspaceId: ctx.workspaceId, requestedBy: ctx.userId, action: plan.action, query: plan.query, description: plan.description, expected: plan.acting, createdAt: now, heartbeatAt: now })
    .returning();
  return { ok: true, job: job! };
}

/** A job as the person who asked for it sees it (progress), or null. */
export async function getBulkJob(ctx: Ctx, id: string): Promise<BulkJob | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const db = await getDb();
  const [job] = await db.select().from(bulkJobs).where(and(eq(bulkJobs.id, id), eq(bulkJobs.workspaceId, ctx.workspaceId), eq(bulkJobs.requestedBy, ctx.userId)));
  return job ?? null;
}

export type BatchReport = { handled: number; ms: number };

/**
 * Works through a job to its end, one batch per transaction; `onBatch` hears how long each
 * took. Safe to call again for the same job at any time, even while another call works on it:
 * each batch locks the job's row first and continues from the cursor it finds there.
 */
export async function runBulkJob(jobId: string, options: { onBatch?: (report: BatchReport) => void; batchSize?: number } = {}): Promise<BulkJob | null> {
  for (;;) {
    const started = performance.now();
    const step = await runBulkBatch(jobId, options.batchSize ?? bulkBatchSize);
    options.onBatch?.({ handled: step.handled, ms: performance.now() - started });
    if (!step.job || step.job.status !== "running") return step.job;
  }
}

/** One batch of a job, in one transaction; answers the job as it stands after it. */
export async function runBulkBatch(jobId: string, size = bulkBatchSize): Promise<{ job: BulkJob | null; handled: number }> {
  const db = await getDb();
  type Step = { job: BulkJob | null; handled: number; toCancel: string[]; ctx: Ctx | null; isDone: boolean };
  const result = await db.transaction(async (tx): Promise<Step> => {
    const [job] = await tx.select().from(bulkJobs).where(eq(bulkJobs.id, jobId)).for("update");
    if (!job || job.status !== "running") return { job: job ?? null, handled: 0, toCancel: [], ctx: null, isDone: true };
    const ctx = await requesterContext(tx, job);
    const request = parseListRequest(new URLSearchParams(job.query));
    if (!ctx || !request.ok) {
      const [stopped] = await tx.update(bulkJobs).set({ status: "stopped", finishedAt: sql`now()` }).where(eq(bulkJobs.id, jobId)).returning();
      return { job: stopped!, handled: 0, toCancel: [], ctx: null, isDone: true };
    }
    // Only runs that existed when the job was asked for, after the last batch's position.
    const position = job.cursorAt && job.cursorId
      ? sql`(${executions.createdAt}, ${executions.id}) < (${job.cursorAt}::timestamptz, ${job.cursorId}::uuid)`
      : lt(executions.createdAt, sql`${job.createdAt.toISOString()}::timestamptz + interval '1 millisecond'`);
    const ids = visibleExecutionIds(ctx, [...listFilterConditions(request.filter, job.createdAt), position], "older", size);
    const batch = await tx
      .select({ id: executions.id, status: executions.status, triggeredBy: executions.triggeredBy, at: sql<string>`${executions.createdAt}::text` })
      .from(executions)
      .where(sql`${executions.id} in (${ids})`)
      .orderBy(sql`${executions.createdAt} desc, ${executions.id} desc`)
      .for("update");
    const mayAct = (run: { triggeredBy: string | null }) => isAdmin(ctx) || run.triggeredBy === ctx.userId;
    const isLive = (run: { status: string }) => run.status === "queued" || run.status === "running";
    const targets = batch.filter((run) => mayAct(run) && (job.action === "delete" ? !isLive(run) : isLive(run))).map((run) => run.id);
    if (job.action === "delete" && targets.length) {
      const listed = sql.join(targets.map((id) => sql`${id}::uuid`), sql`, `);
      await tx.delete(shareAccessLog).where(sql`${shareAccessLog.executionId} in (${listed})`);
      await tx.delete(executions).where(sql`${executions.id} in (${listed})`);
    }
    const last = batch.at(-1);
    const isDone = batch.length < size;
    const done = job.done + (job.action === "delete" ? targets.length : 0);
    const skipped = job.skipped + batch.length - targets.length;
    const [updated] = await tx
      .update(bulkJobs)
      .set({
        done, skipped, heartbeatAt: sql`now()`,
        ...(last ? { cursorAt: last.at, cursorId: last.id } : {}),
        ...(isDone && job.action === "delete" ? { status: "finished", finishedAt: sql`now()` } : {}),
      })
      .where(eq(bulkJobs.id, jobId))
      .returning();
    if (isDone && job.action === "delete") {
      await recordAudit(tx, { workspaceId: job.workspaceId, userId: job.requestedBy }, {
        action: "execution.bulk_deleted", target: null,
        data: { count: done, skipped, filter: job.description, query: job.query, jobId: job.id },
      });
    }
    return { job: updated!, handled: batch.length, toCancel: job.action === "cancel" ? targets : [], ctx, isDone };
  });
  // Cancels go one run at a time through the one cancel rule (each its own transaction, audited as always).
  if (result.ctx && result.toCancel.length) {
    let canceled = 0;
    for (const id of result.toCancel) if ((await requestCancel(result.ctx, id)).ok) canceled++;
    const [updated] = await db
      .update(bulkJobs)
      .set({ done: sql`${bulkJobs.done} + ${canceled}`, skipped: sql`${bulkJobs.skipped} + ${result.toCancel.length - canceled}` })
      .where(eq(bulkJobs.id, jobId))
      .returning();
    result.job = updated!;
  }
  if (result.job && result.job.action === "cancel" && result.job.status === "running" && result.isDone) {
    const [finished] = await db.update(bulkJobs).set({ status: "finished", finishedAt: sql`now()` }).where(eq(bulkJobs.id, jobId)).returning();
    result.job = finished!;
  }
  return { job: result.job, handled: result.handled };
}

/** Jobs whose worker stopped (no batch for `staleMs`): what a sweep hands to `runBulkJob` again. */
export async function staleBulkJobs(staleMs = 30_000): Promise<{ id: string; workspaceId: string }[]> {
  const db = await getDb();
  return db
    .select({ id: bulkJobs.id, workspaceId: bulkJobs.workspaceId })
    .from(bulkJobs)
    .where(and(eq(bulkJobs.status, "running"), or(sql`${bulkJobs.heartbeatAt} is null`, lt(bulkJobs.heartbeatAt, sql`now() - ${`${staleMs} milliseconds`}::interval`))));
}

/** Who asked, as they are now: a job acts with the asker's current role, and stops if they left the workspace. */
async function requesterContext(tx: Tx, job: BulkJob): Promise<Ctx | null> {
  if (!job.requestedBy) return null;
  const [member] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.workspaceId, job.workspaceId), eq(memberships.userId, job.requestedBy)));
  return member ? { userId: job.requestedBy, workspaceId: job.workspaceId, role: member.role } : null;
}

