/**
 * Bulk actions on everything a filter matches (F19): "Select all N matching" on Past
 * executions. The person first sees the exact count and what will happen (`planBulkAction`),
 * then confirms that count (`startBulkAction`). The work is a job (db/schema/bulk.ts) done in
 * batches of `bulkBatchSize` runs, newest first, each batch one short transaction that also
 * records how far it got: a job that stops (a crash, a restart) resumes after its last batch,
 * and a batch done twice changes nothing twice. A run that is queued or running when its batch
 * comes — one that started meanwhile included — is never deleted, only counted as skipped.
 * A share gives chosen members each run the person may share (the rule for sharing one run),
 * leaves runs already shared with them as they are, and tells each member once per job.
 * A bulk delete or share is audited once, with the count and the filter.
 */
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type DbOrTx, type Tx } from "@/db/client";
import { bulkJobs, executions, memberships, notifications, shareAccessLog, users, type BulkJob, type BulkShareParams } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import { recordAudit } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { grantMemberSharesInBulk } from "@/lib/shares/grants";
import { requestCancel } from "./cancel";
import { listFilterConditions } from "./list";
import { listQueryString, parseListRequest, rangePresets, type ListFilter } from "./list-filter";
import { visibleExecutionIds } from "./visibility";

// Each batch's transaction stays well under 2 s even when it meets a checkpoint's I/O: at 500 runs
// (about 15,000 rows with their items, recommendations and log lines) one took 2.3-5.2 s on this
// machine's disk while the median was 0.4-0.5 s (bench:search).
export const bulkBatchSize = 250;
const bulkActions = ["delete", "cancel", "share"] as const;
type BulkAction = (typeof bulkActions)[number];

/** Whom a bulk share gives the runs to, and how (the single share dialog's permissions). */
const shareSchema = z.object({
  userIds: z.array(z.uuid({ error: "That person could not be found." })).min(1, "Choose at least one person to share with.").max(50, "Share with at most 50 people at once."),
  permission: z.enum(["view", "apply"], { error: "Permission must be “view only” or “can apply recommendations”." }),
});
type ShareChoice = z.infer<typeof shareSchema>;

const planSchema = z.object({
  action: z.enum(bulkActions, { error: "Choose delete, cancel or share." }),
  query: z.string().max(4000, "Those filters are too long."),
  /** For a share: whom with. Without it a share's plan counts the runs and names nobody. */
  share: shareSchema.nullish(),
});
const startSchema = planSchema.extend({ expected: z.number({ error: "Confirm how many runs." }).int().min(0) });

export type BulkPlan = { action: BulkAction; query: string; description: string; matching: number; acting: number; skipped: number; sentence: string; share: ShareChoice | null };

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
/** "Ana", "Ana and Li", "Ana, Li and Sam". */
const listNames = (names: string[]) => (names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`);
const permissionWords = { view: "view only", apply: "can apply recommendations" } as const;

/** The chosen people's names, in the order chosen, if every one is another member of the workspace. */
async function shareGrantees(ctx: Ctx, choice: ShareChoice): Promise<Outcome<{ names: string[] }>> {
  const userIds = [...new Set(choice.userIds)];
  if (userIds.includes(ctx.userId)) return failure("invalid_input", "You can already see these runs; choose someone else.");
  const db = await getDb();
  const rows = await db
    .select({ userId: memberships.userId, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, ctx.workspaceId), inArray(memberships.userId, userIds)));
  if (rows.length !== userIds.length) return failure("invalid_input", "Runs can only be shared with members of this workspace.");
  const byId = new Map(rows.map((row) => [row.userId, row.name]));
  return { ok: true, names: userIds.map((id) => byId.get(id)!) };
}

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
  const action = parsed.data.action;
  const share = action === "share" ? (parsed.data.share ?? null) : null;
  const grantees = share ? await shareGrantees(ctx, share) : null;
  if (grantees && !grantees.ok) return grantees;
  const ids = visibleExecutionIds(ctx, listFilterConditions(filter, now), null, 100_000_000);
  const db = await getDb();
  const mine = isAdmin(ctx) ? sql`true` : sql`${executions.triggeredBy} = ${ctx.userId}`;
  const [counts] = await db
    .select({
      matching: sql<number>`count(*)::int`,
      live: sql<number>`(count(*) filter (where ${executions.status} in ('queued', 'running')))::int`,
      deletable: sql<number>`(count(*) filter (where ${executions.status} not in ('queued', 'running') and ${mine}))::int`,
      cancelable: sql<number>`(count(*) filter (where ${executions.status} in ('queued', 'running') and ${mine}))::int`,
      shareable: sql<number>`(count(*) filter (where ${mine}))::int`,
    })
    .from(executions)
    .where(sql`${executions.id} in (${ids})`);
  const { matching, live, deletable, cancelable, shareable } = counts!;
  const acting = action === "delete" ? deletable : action === "cancel" ? cancelable : shareable;
  const description = describeFilter(filter);
  const othersStarted = (n: number) => (n > 0 ? `${plural(n, "run")} someone else started ${n === 1 ? "is" : "are"} left alone` : "");
  const leftOut = action === "delete"
    ? [live ? `${plural(live, "queued or running run")} ${live === 1 ? "is" : "are"} left alone` : "", othersStarted(matching - live - deletable)]
    : action === "cancel"
      ? [matching - live ? `${plural(matching - live, "finished run")} ${matching - live === 1 ? "is" : "are"} left alone` : "", othersStarted(live - cancelable)]
      : [share ? `runs already shared with ${share.userIds.length === 1 ? "that person" : "them"} stay as they are` : "", othersStarted(matching - shareable)];
  const what = action === "delete"
    ? `Delete ${plural(acting, "run")} of ${description}; no credits are refunded`
    : action === "cancel"
      ? `Cancel ${plural(acting, "run")} of ${description}; unused credits are refunded`
      : `Share ${plural(acting, "run")} of ${description} with ${grantees?.ok ? `${listNames(grantees.names)} (${permissionWords[share!.permission]})` : "the members you choose"}`;
  const sentence = `${[what, ...leftOut.filter(Boolean)].join("; ")}.`;
  const chosen = share ? { userIds: [...new Set(share.userIds)], permission: share.permission } : null;
  return { ok: true, plan: { action, query: listQueryString(filter), description, matching, acting, skipped: matching - acting, sentence, share: chosen } };
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
  if (plan.action === "share" && !plan.share) return failure("invalid_input", "Choose at least one person to share with.");
  if (plan.acting === 0) return failure("invalid_input", `No run matching these filters can be ${{ delete: "deleted", cancel: "canceled", share: "shared" }[plan.action]}.`);
  const db = await getDb();
  return db.transaction(async (tx): Promise<Outcome<{ job: BulkJob }>> => {
    // One person's starts wait for each other here, so the same confirm sent twice (two tabs, a
    // doubled click) finds the first job under way instead of starting a second.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`bulk ${ctx.workspaceId} ${ctx.userId}`}))`);
    const [underWay] = await tx
      .select({ id: bulkJobs.id })
      .from(bulkJobs)
      .where(and(eq(bulkJobs.workspaceId, ctx.workspaceId), eq(bulkJobs.requestedBy, ctx.userId), eq(bulkJobs.action, plan.action), eq(bulkJobs.query, plan.query), eq(bulkJobs.status, "running")));
    if (underWay) return failure("conflict", `You are already running this ${plan.action} of ${plan.description}; its progress shows where you started it.`);
    const [job] = await tx
      .insert(bulkJobs)
      .values({
        workspaceId: ctx.workspaceId, requestedBy: ctx.userId, action: plan.action, query: plan.query, description: plan.description, expected: plan.acting, createdAt: now, heartbeatAt: now,
        share: plan.share ? { ...plan.share, newlySharedWith: {} } : null,
      })
      .returning();
    return { ok: true, job: job! };
  });
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
    const isTarget = (run: { status: string }) => (job.action === "delete" ? !isLive(run) : job.action === "cancel" ? isLive(run) : true);
    const targets = batch.filter((run) => mayAct(run) && isTarget(run)).map((run) => run.id);
    if (job.action === "delete" && targets.length) {
      const listed = sql.join(targets.map((id) => sql`${id}::uuid`), sql`, `);
      await tx.delete(shareAccessLog).where(sql`${shareAccessLog.executionId} in (${listed})`);
      await tx.delete(executions).where(sql`${executions.id} in (${listed})`);
    }
    let share = job.share;
    if (job.action === "share" && share && targets.length) {
      const granted = await grantMemberSharesInBulk(tx, { workspaceId: job.workspaceId, executionIds: targets, userIds: share.userIds, permission: share.permission, createdBy: ctx.userId });
      const newlySharedWith = { ...share.newlySharedWith };
      for (const [userId, count] of Object.entries(granted)) newlySharedWith[userId] = (newlySharedWith[userId] ?? 0) + count;
      share = { ...share, newlySharedWith };
    }
    const last = batch.at(-1);
    const isDone = batch.length < size;
    const isFinishedHere = isDone && job.action !== "cancel";
    const done = job.done + (job.action === "cancel" ? 0 : targets.length);
    const skipped = job.skipped + batch.length - targets.length;
    const [updated] = await tx
      .update(bulkJobs)
      .set({
        done, skipped, share, heartbeatAt: sql`now()`,
        ...(last ? { cursorAt: last.at, cursorId: last.id } : {}),
        ...(isFinishedHere ? { status: "finished", finishedAt: sql`now()` } : {}),
      })
      .where(eq(bulkJobs.id, jobId))
      .returning();
    if (isDone && job.action === "delete") {
      await recordAudit(tx, { workspaceId: job.workspaceId, userId: job.requestedBy }, {
        action: "execution.bulk_deleted", target: null,
        data: { count: done, skipped, filter: job.description, query: job.query, jobId: job.id },
      });
    }
    if (isDone && job.action === "share" && share) await finishBulkShare(tx, updated!, share);
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

/**
 * The end of a bulk share: one audit entry with the count, the filter, whom with and how; and
 * one notification for each member newly given any run (not one per run, as sharing one run does).
 */
async function finishBulkShare(tx: Tx, job: BulkJob, share: BulkShareParams) {
  const people = await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...share.userIds, ...(job.requestedBy ? [job.requestedBy] : [])]));
  const nameOf = new Map(people.map((person) => [person.id, person.name]));
  const newlyShared = Object.values(share.newlySharedWith).reduce((sum, n) => sum + n, 0);
  await recordAudit(tx, { workspaceId: job.workspaceId, userId: job.requestedBy }, {
    action: "execution.bulk_shared", target: null,
    data: {
      count: job.done, skipped: job.skipped, filter: job.description, grantee: listNames(share.userIds.map((id) => nameOf.get(id) ?? "a former member")),
      permission: share.permission, newlyShared, query: job.query, jobId: job.id,
    },
  });
  const sharer = (job.requestedBy && nameOf.get(job.requestedBy)) || "A colleague";
  const body = `${job.description.charAt(0).toUpperCase()}${job.description.slice(1)}. ${share.permission === "apply" ? "You can review them and apply their recommendations." : "You can review their results."}`;
  for (const [userId, count] of Object.entries(share.newlySharedWith)) {
    if (count === 0) continue;
    await tx
      .insert(notifications)
      .values({ workspaceId: job.workspaceId, userId, kind: "share", href: "/shared", title: `${sharer} shared ${plural(count, "run")} with you`, body, dedupeKey: `bulk-share:${job.id}:${userId}` })
      .onConflictDoNothing();
  }
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
export async function requesterContext(tx: DbOrTx, job: BulkJob): Promise<Ctx | null> {
  if (!job.requestedBy) return null;
  const [member] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.workspaceId, job.workspaceId), eq(memberships.userId, job.requestedBy)));
  return member ? { userId: job.requestedBy, workspaceId: job.workspaceId, role: member.role } : null;
}

