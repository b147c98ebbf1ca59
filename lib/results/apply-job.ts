/**
 * Applying every recommendation a filter matches as a background job (F19: large bulk actions
 * run as resumable background jobs). The person confirms the preview's count; the job applies
 * that plan a part at a time (lib/results/apply-in-parts.ts) in whichever process holds it, and
 * the dialog that started it, or the run page when the person comes back, follows its progress.
 * Leaving the page changes nothing. Stop ends it after the part under way. A process that dies
 * leaves it to the sweep (`staleBulkJobs`), which hands it on once its heartbeat is 30 s old,
 * and the plan's token goes on after the last part recorded: no change applies twice, and none
 * that changed after the preview applies at all.
 */
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { bulkJobs, executions, notifications, type ApplyJobState, type ApplyProblem, type BulkJob } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import { whyTokenNoLongerActs } from "@/lib/api-tokens/authenticate";
import { countChangesAppliedByJob, whoAskedJobToStop } from "@/lib/audit/queries";
import { recordAudit } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { requesterContext } from "@/lib/executions/bulk-by-filter";
import { getVisibleExecution } from "@/lib/executions/queries";
import { formatCount } from "@/lib/notifications/wording";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import type { ChangeOutcome } from "./apply";
import { applyPlannedPart, confirmedPlan, planApplyAllMatching } from "./apply-in-parts";
import { describeRecommendationFilter, recommendationFilterSchema, recommendationQuery, type RecommendationFilter } from "./recommendation-filter";
import { loadForApply } from "./recommendations";

const runDeletedEnding = "The run was deleted; nothing after that was applied.";
/** How many failures and skips a job keeps with their reasons; the rest are counted. */
const problemsKept = 50;
/** A worker holds its job while its heartbeat is younger than this (the sweep's staleness too). */
const heldForMs = 30_000;

/** A job as the person who asked for it follows it. */
export type ApplyJobView = {
  id: string;
  executionId: string | null;
  status: "running" | "finished" | "stopped";
  /** The filter in words, as the confirm showed it. */
  description: string;
  /** How many changes the person confirmed. */
  expected: number;
  /** Changes not yet tried. */
  remaining: number;
  applied: number;
  alreadyApplied: number;
  failed: number;
  skipped: number;
  problems: ApplyProblem[];
  /** Why it ended early, in a sentence. */
  ending: string | null;
  /** Of `skipped`: changes someone else decided, applied or reverted after the preview, which left its filter. */
  changedElsewhere: number;
  isStopRequested: boolean;
  stopRequestedAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Who started it (null once their account is deleted); an admin may follow anyone's. */
  startedBy: string | null;
};

/** The sentence for a job that does not exist, or that the person may not see. */
export const applyJobNotFound = "Apply job not found: it does not exist, or is not one you can see.";

function viewOf(job: BulkJob): ApplyJobView {
  const state = job.apply ?? { next: null, remaining: 0, alreadyApplied: 0, problems: [] };
  return {
    id: job.id, executionId: job.executionId, status: job.status as ApplyJobView["status"], description: job.description, expected: job.expected, remaining: state.remaining,
    applied: job.done, alreadyApplied: state.alreadyApplied, failed: job.failed, skipped: job.skipped, problems: state.problems,
    ending: state.ending ?? null, changedElsewhere: state.changedElsewhere ?? 0, isStopRequested: job.stopRequestedAt !== null,
    stopRequestedAt: job.stopRequestedAt, startedAt: job.createdAt, finishedAt: job.finishedAt, startedBy: job.requestedBy,
  };
}

const startSchema = z.object({
  start: z.string("Confirm the preview's plan, as start.").min(1, "Confirm the preview's plan, as start.").max(10_000, "That plan is not one Runlog gave; preview again."),
});

/**
 * Starts applying a previewed plan in the background. The same plan confirmed twice (two tabs,
 * a doubled click) answers the job already under way; a second plan for the same run while one
 * is under way is refused, since the two would race for the same changes.
 */
export async function startApplyJob(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<StartedApplyJob>> {
  const parsed = startSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  if (!z.uuid().safeParse(executionId).success) return failure("not_found", "Execution not found.");
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const plan = confirmedPlan(parsed.data.start, executionId);
  if (!plan.ok) return plan;
  return startPlannedJob(ctx, executionId, { start: parsed.data.start, confirmed: plan.confirmed, filter: plan.filter }, (underWay, query) =>
    underWay.query === query && underWay.expected === plan.confirmed && underWay.createdAt.getTime() > Date.now() - 10 * 60_000);
}

/** The API's start of an apply job: the filter whose matches apply (the apply route's `allMatching`), nothing else. */
export const applyJobInput = z.strictObject({
  allMatching: z.object(recommendationFilterSchema.shape, { error: "allMatching is the filter whose matches apply: { priority, status, q }, each optional ({} is every recommendation of the run)." }),
}, {
  error: (issue) => issue.code === "unrecognized_keys"
    ? `An apply job takes only allMatching, not ${issue.keys.join(", ")}: to apply recommendations by id, or a part per request, POST to the run's recommendations/apply.`
    : issue.code === "invalid_type" ? "Send { \"allMatching\": filter }, the filter whose matches apply." : undefined,
});

/**
 * Starts applying every recommendation the filter matches in the background, planned now (the
 * API's one call for what the app does as preview, then confirm): only changes there to apply
 * at this moment are in it, at most as many as counted now. The same filter sent again while
 * its job is under way (a retry, a doubled request) answers that job; another plan for the
 * same run meanwhile is refused, as in the app.
 */
export async function startApplyJobByFilter(ctx: Ctx, executionId: string, raw: unknown): Promise<Outcome<StartedApplyJob>> {
  const parsed = applyJobInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const allowed = await loadForApply(ctx, executionId);
  if (!allowed.ok) return allowed;
  const plan = await planApplyAllMatching(executionId, parsed.data.allMatching);
  return startPlannedJob(ctx, executionId, plan, (underWay, query) => underWay.query === query);
}

export type StartedApplyJob = { job: ApplyJobView; /** The job was already under way for the same request. */ isRepeat: boolean };

/** Records a plan as a job, or answers the one under way when `isSameRequest` says this asks for it again. */
async function startPlannedJob(
  ctx: Ctx, executionId: string, plan: { start: string; confirmed: number; filter: Pick<RecommendationFilter, "priority" | "status" | "q"> },
  isSameRequest: (underWay: BulkJob, query: string) => boolean,
): Promise<Outcome<StartedApplyJob>> {
  const query = recommendationQuery(new URLSearchParams(), { ...plan.filter, sort: "priority" });
  const description = describeRecommendationFilter(plan.filter);
  const db = await getDb();
  return db.transaction(async (tx): Promise<Outcome<StartedApplyJob>> => {
    // One person's starts for one run wait for each other here, so the second finds the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`apply-job ${executionId} ${ctx.userId}`}))`);
    const [underWay] = await tx
      .select()
      .from(bulkJobs)
      .where(and(eq(bulkJobs.executionId, executionId), eq(bulkJobs.requestedBy, ctx.userId), eq(bulkJobs.action, "apply"), eq(bulkJobs.status, "running")));
    if (underWay) {
      if (underWay.apply !== null && isSameRequest(underWay, query)) return { ok: true, job: viewOf(underWay), isRepeat: true };
      return failure("conflict", `You are already applying ${formatCount(underWay.expected, "change")} of ${underWay.description} to this run; wait for it to finish, or stop it, before applying more.`);
    }
    if (plan.confirmed === 0) return failure("invalid_input", "Nothing matching these filters is left to apply.");
    const state: ApplyJobState = { next: plan.start, remaining: plan.confirmed, alreadyApplied: 0, problems: [], runId: executionId, ...(ctx.apiToken ? { throughTokenId: ctx.apiToken.id } : {}) };
    const [job] = await tx
      .insert(bulkJobs)
      .values({ workspaceId: ctx.workspaceId, requestedBy: ctx.userId, action: "apply", executionId, query, description, expected: plan.confirmed, apply: state, heartbeatAt: sql`now()` })
      .returning();
    return { ok: true, job: viewOf(job!), isRepeat: false };
  });
}

/**
 * A job as the person who started it, or an admin of its workspace, sees it; null for anyone
 * else, or none. With `executionId` (the API's address), only a job of that run, and only while
 * they may see the run, or once the run was deleted (the job says so).
 */
export async function getApplyJob(ctx: Ctx, jobId: string, executionId?: string): Promise<ApplyJobView | null> {
  if (!z.uuid().safeParse(jobId).success) return null;
  const ofRun = executionId === undefined
    ? undefined
    : (await getVisibleExecution(ctx, executionId))
      ? eq(bulkJobs.executionId, executionId)
      : and(isNull(bulkJobs.executionId), sql`${bulkJobs.apply}->>'runId' = ${executionId}`);
  const db = await getDb();
  const [job] = await db.select().from(bulkJobs)
    .where(and(
      eq(bulkJobs.id, jobId), eq(bulkJobs.workspaceId, ctx.workspaceId), eq(bulkJobs.action, "apply"),
      isAdmin(ctx) ? undefined : eq(bulkJobs.requestedBy, ctx.userId),
      ofRun,
    ));
  return job ? viewOf(job) : null;
}

/**
 * A job as the API answers it (its start, GET …/apply-jobs/:jobId, its stop): progress while it
 * runs, and once it ended what the app's summary shows (applied, already applied, failed,
 * left alone with the first reasons, why it ended early).
 */
export function applyJobResource(job: ApplyJobView, executionId: string) {
  return {
    id: job.id, executionId, url: `/api/executions/${executionId}/recommendations/apply-jobs/${job.id}`, status: job.status, description: job.description,
    counts: {
      planned: job.expected, applied: job.applied, alreadyApplied: job.alreadyApplied, failed: job.failed, leftAlone: job.skipped,
      changedElsewhere: job.changedElsewhere, remaining: job.remaining,
    },
    startedAt: job.startedAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null, stopRequestedAt: job.stopRequestedAt?.toISOString() ?? null,
    startedBy: job.startedBy, ending: job.ending, problems: job.problems,
  };
}

/** The person's apply jobs under way on this run (the run page shows their progress). */
export async function runningApplyJobs(ctx: Ctx, executionId: string): Promise<ApplyJobView[]> {
  const db = await getDb();
  const jobs = await db.select().from(bulkJobs)
    .where(and(eq(bulkJobs.executionId, executionId), eq(bulkJobs.requestedBy, ctx.userId), eq(bulkJobs.action, "apply"), eq(bulkJobs.status, "running")))
    .orderBy(desc(bulkJobs.createdAt));
  return jobs.map(viewOf);
}

/**
 * Asks a job to stop after the part under way (its starter, or an admin, as for canceling a
 * run); asking again, or once it ended, answers the job as it is.
 */
export async function stopApplyJob(ctx: Ctx, jobId: string, executionId?: string): Promise<Outcome<{ job: ApplyJobView }>> {
  const job = await getApplyJob(ctx, jobId, executionId);
  if (!job) return failure("not_found", applyJobNotFound);
  if (job.status !== "running") return { ok: true, job };
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [asked] = await tx
      .update(bulkJobs)
      .set({ stopRequestedAt: sql`now()` })
      .where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.status, "running"), isNull(bulkJobs.stopRequestedAt)))
      .returning();
    // Asked once, audited once: who asked (an admin may stop anyone's) is the audit log's to say,
    // and the summary's when it is not the starter.
    if (asked) {
      await recordAudit(tx, ctx, { action: "recommendation.apply_stop_requested", target: asked.executionId, data: { jobId, filter: asked.description, startedBy: asked.requestedBy } });
      return { ok: true as const, job: viewOf(asked) };
    }
    const [current] = await tx.select().from(bulkJobs).where(eq(bulkJobs.id, jobId));
    return { ok: true as const, job: current ? viewOf(current) : job };
  });
}

/**
 * Applies the job's next part, if `worker` holds the job or may take it (nobody holds it, or its
 * holder's heartbeat is 30 s old); answers the job as it stands after. A call that cannot take
 * the job changes nothing.
 */
export async function runApplyJobPart(jobId: string, worker: string): Promise<{ job: BulkJob | null; handled: number }> {
  const db = await getDb();
  const [job] = await db
    .update(bulkJobs)
    .set({ worker, heartbeatAt: sql`now()` })
    .where(and(
      eq(bulkJobs.id, jobId), eq(bulkJobs.action, "apply"), eq(bulkJobs.status, "running"),
      or(isNull(bulkJobs.worker), eq(bulkJobs.worker, worker), lt(bulkJobs.heartbeatAt, sql`now() - ${`${heldForMs} milliseconds`}::interval`)),
    ))
    .returning();
  if (!job) {
    const [current] = await db.select().from(bulkJobs).where(eq(bulkJobs.id, jobId));
    return { job: current ?? null, handled: 0 };
  }
  const state = job.apply ?? { next: null, remaining: 0, alreadyApplied: 0, problems: [] };
  // Applied is counted from the changes' audit entries, which name the job: a worker that died
  // after applying changes but before recording its part applied them, and they count once, so
  // they are not among those left either.
  const end = async (ending: (left: string) => string) => {
    const done = await countChangesAppliedByJob(job);
    const remaining = Math.max(state.remaining - (done - job.done), 0);
    return finishJob({ ...job, done }, worker, { ...state, remaining, ending: ending(formatCount(remaining, "change")) }, "stopped");
  };
  if (job.stopRequestedAt) {
    // An admin may stop someone else's job: its starter's summary says who.
    const stopper = await whoAskedJobToStop(job);
    const stopped = stopper && stopper.userId !== job.requestedBy ? `Stopped by ${stopper.name}.` : "Stopped.";
    return { job: await end((left) => `${stopped} ${left} not applied; the changes applied stay applied.`), handled: 0 };
  }
  if (!job.executionId) return { job: await end(() => runDeletedEnding), handled: 0 };
  if (!state.next) return { job: await finishJob(job, worker, state, "finished"), handled: 0 };
  const requester = await requesterContext(db, job);
  const ctx = requester && state.throughTokenId ? { ...requester, apiToken: { id: state.throughTokenId } } : requester;
  if (!ctx) return { job: await end((left) => `The person who started it is no longer a member of this workspace, so ${left} were not applied.`), handled: 0 };
  const tokenEnded = state.throughTokenId ? await whyTokenNoLongerActs(state.throughTokenId) : null;
  if (tokenEnded) return { job: await end((left) => `${tokenEnded}, so ${left} were not applied; the changes applied stay applied.`), handled: 0 };
  const part = await keepingHold(jobId, worker, () => applyPlannedPart(ctx, job.executionId!, state.next!, job.id));
  // Not found: the run was deleted after this part was taken up, before it loaded the run.
  if (!part.ok) return { job: await end((left) => (part.code === "not_found" ? runDeletedEnding : `${part.message} ${left} not applied.`)), handled: 0 };
  // A part that found nothing left may have read the run's recommendations just after the run was deleted.
  if (!part.next && !part.stopped && !(await runExists(job.executionId))) return { job: await end(() => runDeletedEnding), handled: part.outcomes.length };

  const count = (outcome: ChangeOutcome["outcome"]) => part.outcomes.filter((o) => o.outcome === outcome).length;
  const problems = [...state.problems];
  for (const o of part.outcomes) {
    if (problems.length >= problemsKept) break;
    if (o.outcome === "failed" || o.outcome === "skipped") problems.push({ id: o.id, itemLabel: o.itemLabel, field: o.field, outcome: o.outcome, reason: o.reason ?? "" });
  }
  const alreadyIds = part.outcomes.filter((o) => o.outcome === "already_applied").map((o) => o.id);
  const [applied, appliedEarlierByThisJob] = await Promise.all([countChangesAppliedByJob(job), alreadyIds.length ? countChangesAppliedByJob(job, alreadyIds) : 0]);
  const tally = { done: applied, failed: job.failed + count("failed"), skipped: job.skipped + count("skipped") };
  const alreadyApplied = state.alreadyApplied + alreadyIds.length - appliedEarlierByThisJob;
  const status = part.next ? "running" : part.stopped ? "stopped" : "finished";
  // Changes of the plan that someone else decided, applied or reverted after the preview and
  // that no longer match its filter are met by no part: counted once the job ends.
  const unaccounted = status === "running" ? 0 : Math.max(job.expected - part.remaining - (tally.done + tally.failed + tally.skipped + alreadyApplied), 0);
  const next: ApplyJobState = {
    next: part.next, remaining: part.remaining, alreadyApplied, problems, runId: state.runId, throughTokenId: state.throughTokenId,
    ...(unaccounted ? { changedElsewhere: unaccounted } : {}), ...(part.stopped ? { ending: part.stopped } : {}),
  };
  const updated = await finishJob({ ...job, ...tally, skipped: tally.skipped + unaccounted }, worker, next, status);
  return { job: updated, handled: part.outcomes.length };
}

async function runExists(executionId: string): Promise<boolean> {
  const db = await getDb();
  const [run] = await db.select({ id: executions.id }).from(executions).where(eq(executions.id, executionId));
  return run !== undefined;
}

/** Renews the worker's heartbeat while a part runs (a slow store can make one last longer than the hold). */
async function keepingHold<T>(jobId: string, worker: string, work: () => Promise<T>): Promise<T> {
  const db = await getDb();
  const beat = setInterval(() => {
    db.update(bulkJobs).set({ heartbeatAt: sql`now()` }).where(and(eq(bulkJobs.id, jobId), eq(bulkJobs.worker, worker)))
      .catch(() => {}); // A missed beat only lets the sweep hand the job on; the changes stay applied once each.
  }, heldForMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}

/**
 * Records a part (or the end) of a job held by `worker`; at the end, one audit entry with the
 * counts and one notification for the person who started it. A worker that lost the job (its
 * heartbeat aged while the store was slow, and the sweep handed it on) records nothing: the
 * changes it made are applied and audited one by one, and the next part finds them applied.
 */
async function finishJob(job: BulkJob, worker: string, state: ApplyJobState, status: ApplyJobView["status"]): Promise<BulkJob | null> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(bulkJobs)
      .set({ done: job.done, failed: job.failed, skipped: job.skipped, apply: state, status, heartbeatAt: sql`now()`, ...(status === "running" ? {} : { finishedAt: sql`now()`, worker: null }) })
      .where(and(eq(bulkJobs.id, job.id), eq(bulkJobs.worker, worker), eq(bulkJobs.status, "running")))
      .returning();
    if (!updated) {
      const [current] = await tx.select().from(bulkJobs).where(eq(bulkJobs.id, job.id));
      return current ?? null;
    }
    if (status !== "running") await recordEnd(tx, updated);
    return updated;
  });
}

async function recordEnd(tx: Tx, job: BulkJob) {
  const view = viewOf(job);
  const throughTokenId = job.apply?.throughTokenId;
  await recordAudit(tx, { workspaceId: job.workspaceId, userId: job.requestedBy, ...(throughTokenId ? { apiToken: { id: throughTokenId } } : {}) }, {
    action: "recommendation.bulk_applied", target: job.executionId,
    data: {
      count: view.applied, alreadyApplied: view.alreadyApplied, failed: view.failed, skipped: view.skipped, expected: view.expected,
      filter: view.description, query: job.query, jobId: job.id, ...(view.ending ? { ending: view.ending } : {}),
    },
  });
  if (!job.requestedBy) return;
  const [run] = job.executionId ? await tx.select({ agentId: executions.agentId }).from(executions).where(eq(executions.id, job.executionId)) : [];
  const problems = [view.failed ? `${formatCount(view.failed, "change")} failed` : "", view.skipped ? `${formatCount(view.skipped, "change")} changed after your preview and ${view.skipped === 1 ? "was" : "were"} left alone` : ""].filter(Boolean);
  await tx
    .insert(notifications)
    .values({
      workspaceId: job.workspaceId, userId: job.requestedBy, kind: "apply_finished", executionId: job.executionId,
      href: job.executionId ? `/executions/${job.executionId}${view.failed ? "?rs=failed" : ""}` : null,
      title: job.status === "finished" ? `Applied ${formatCount(view.applied, "change")} to the store` : `Applying stopped after ${formatCount(view.applied, "change")}`,
      body: [run ? `${agentName(run.agentId)}: ${view.description}.` : `${view.description}.`, problems.length ? `${problems.join("; ")}.` : "", view.ending ?? ""].filter(Boolean).join(" "),
      dedupeKey: `apply-job:${job.id}`,
    })
    .onConflictDoNothing();
}
