import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bulkJobs, notifications, recommendations, shares } from "@/db/schema";
import { catalogueRun } from "@/db/testing/catalogue-run";
import { seededPeople } from "@/db/testing/contexts";
import * as startRoute from "@/app/api/executions/[id]/recommendations/apply-jobs/route";
import * as jobRoute from "@/app/api/executions/[id]/recommendations/apply-jobs/[jobId]/route";
import * as stopRoute from "@/app/api/executions/[id]/recommendations/apply-jobs/[jobId]/stop/route";
import { callWithToken } from "@/lib/api-tokens/testing";
import { createApiToken, revokeApiToken } from "@/lib/api-tokens/tokens";
import { deleteExecutions } from "@/lib/executions/delete";
import type { Ctx } from "@/lib/auth/context";
import { applyPartSize } from "./apply-in-parts";

type Job = {
  id: string; executionId: string; url: string; status: "running" | "finished" | "stopped"; description: string; isRepeat?: boolean;
  counts: { planned: number; applied: number; alreadyApplied: number; failed: number; leftAlone: number; changedElsewhere: number; remaining: number };
  startedAt: string; finishedAt: string | null; stopRequestedAt: string | null; startedBy: string | null; ending: string | null; problems: unknown[];
};

let people: Awaited<ReturnType<typeof seededPeople>>;
/** API tokens: sam's read+apply and read-only, maya's, Acme's admin's and Globex's admin's. */
let tokens: Record<"sam" | "samRead" | "maya" | "admin" | "globexAdmin", { secret: string; id: string }>;

async function tokenOf(ctx: Ctx, scope: "read" | "read_apply") {
  const created = await createApiToken(ctx, { name: `apply jobs ${scope}`, scope, expiresIn: "30" });
  if (!created.ok || !created.token) throw new Error("token");
  return { secret: created.token, id: created.id };
}

const body = (value: unknown): RequestInit => ({ method: "POST", body: typeof value === "string" ? value : JSON.stringify(value), headers: { "content-type": "application/json" } });
const approved = { allMatching: { status: ["approved"] } };
const jobsUrl = (executionId: string) => `/api/executions/${executionId}/recommendations/apply-jobs`;

const start = (token: string, executionId: string, value: unknown = approved) => callWithToken(startRoute.POST, jobsUrl(executionId), token, { id: executionId }, body(value));
const read = (token: string, executionId: string, jobId: string) => callWithToken(jobRoute.GET, `${jobsUrl(executionId)}/${jobId}`, token, { id: executionId, jobId });
const stop = (token: string, executionId: string, jobId: string) => callWithToken(stopRoute.POST, `${jobsUrl(executionId)}/${jobId}/stop`, token, { id: executionId, jobId }, { method: "POST" });

/** Reads the job, as a script polls it, until it is no longer running. */
async function pollUntilEnded(token: string, executionId: string, jobId: string): Promise<Job> {
  for (let reads = 0; reads < 1200; reads++) {
    const answer = await read(token, executionId, jobId);
    expect(answer.status).toBe(200);
    const job = (await answer.json()) as Job;
    if (job.status !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("The job did not end within 4 minutes.");
}

async function auditEntries(action: string, targetIds: string[]) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.action, action), inArray(auditLog.targetId, targetIds)));
}

beforeAll(async () => {
  people = await seededPeople();
  const [sam, samRead, maya, admin, globexAdmin] = await Promise.all([
    tokenOf(people.sam, "read_apply"), tokenOf(people.sam, "read"), tokenOf(people.maya, "read_apply"), tokenOf(people.admin, "read_apply"), tokenOf(people.globexAdmin, "read"),
  ]);
  tokens = { sam, samRead, maya, admin, globexAdmin };
});

describe("applying every match of a filter as a background job through the API", () => {
  it("starts a job with 202 and its address, which a script polls until every change is applied once, audited through its token", { timeout: 300_000 }, async () => {
    const run = await catalogueRun(people.sam, 300, 20);
    const started = await start(tokens.sam.secret, run.executionId);
    expect(started.status).toBe(202);
    const job = (await started.json()) as Job;
    expect(job).toMatchObject({
      status: "running", isRepeat: false, description: "approved", executionId: run.executionId, startedBy: people.sam.userId, finishedAt: null, stopRequestedAt: null,
      counts: { planned: 300, applied: 0, alreadyApplied: 0, failed: 0, leftAlone: 0, remaining: 300 },
    });
    expect(job.url).toBe(`${jobsUrl(run.executionId)}/${job.id}`);
    expect(started.headers.get("location")).toBe(job.url);

    const ended = await pollUntilEnded(tokens.samRead.secret, run.executionId, job.id);
    expect(ended).toMatchObject({
      id: job.id, status: "finished", ending: null, problems: [], stopRequestedAt: null,
      counts: { planned: 300, applied: 300, alreadyApplied: 0, failed: 0, leftAlone: 0, changedElsewhere: 0, remaining: 0 },
    });
    expect(Date.parse(ended.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(ended.startedAt));

    // Each approved change applied once, the pending ones left as they were.
    const db = await getDb();
    const statuses = await db.select({ status: recommendations.status, n: sql<number>`count(*)::int` }).from(recommendations).where(eq(recommendations.executionId, run.executionId)).groupBy(recommendations.status);
    expect(Object.fromEntries(statuses.map((s) => [s.status, s.n]))).toEqual({ applied: 300, pending: 20 });
    const applied = await auditEntries("recommendation.applied", run.recs.map((r) => r.id));
    expect(applied).toHaveLength(300);
    expect(applied.every((entry) => entry.actorUserId === people.sam.userId && (entry.data as Record<string, unknown>).jobId === job.id && (entry.data as Record<string, unknown>).throughTokenId === tokens.sam.id)).toBe(true);
    const summary = await auditEntries("recommendation.bulk_applied", [run.executionId]);
    expect(summary).toHaveLength(1);
    expect(summary[0]!.data).toMatchObject({ count: 300, expected: 300, failed: 0, skipped: 0, jobId: job.id, filter: "approved", throughTokenId: tokens.sam.id });
    const notices = await db.select().from(notifications).where(and(eq(notifications.userId, people.sam.userId), eq(notifications.executionId, run.executionId)));
    expect(notices.map((n) => n.title)).toEqual(["Applied 300 changes to the store"]);

    // The admin may read it; starting the same filter now that it ended finds nothing left.
    const byAdmin = await read(tokens.admin.secret, run.executionId, job.id);
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json()).toEqual(ended);
    const again = await start(tokens.sam.secret, run.executionId);
    expect(again.status).toBe(400);
    expect((await again.json()).error.message).toBe("Nothing matching these filters is left to apply.");
  });

  it("answers a doubled start with the one job under way, refuses another plan meanwhile with 409, and stops after the part under way", { timeout: 300_000 }, async () => {
    const run = await catalogueRun(people.sam, 1000, 10);
    const answers = await Promise.all([start(tokens.sam.secret, run.executionId), start(tokens.sam.secret, run.executionId)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 202]);
    const [first, second] = (await Promise.all(answers.map((a) => a.json()))) as [Job, Job];
    expect(second.id).toBe(first.id);
    expect([first.isRepeat, second.isRepeat].sort()).toEqual([false, true]);
    expect(answers.map((a) => a.headers.get("location"))).toEqual([first.url, first.url]);
    const db = await getDb();
    expect(await db.select({ id: bulkJobs.id }).from(bulkJobs).where(eq(bulkJobs.executionId, run.executionId))).toHaveLength(1);

    const other = await start(tokens.sam.secret, run.executionId, { allMatching: { status: ["pending"] } });
    expect(other.status).toBe(409);
    expect(await other.json()).toEqual({ error: { code: "conflict", message: "You are already applying 1,000 changes of approved to this run; wait for it to finish, or stop it, before applying more." } });

    // The admin asks it to stop (as for canceling a run); sam asking too changes nothing.
    const stopping = await stop(tokens.admin.secret, run.executionId, first.id);
    expect(stopping.status).toBe(202);
    const asked = (await stopping.json()) as Job;
    expect(asked).toMatchObject({ id: first.id, status: "running" });
    expect(asked.stopRequestedAt).not.toBeNull();
    const twice = await stop(tokens.sam.secret, run.executionId, first.id);
    expect([200, 202]).toContain(twice.status);
    expect(((await twice.json()) as Job).stopRequestedAt).toBe(asked.stopRequestedAt);

    const ended = await pollUntilEnded(tokens.sam.secret, run.executionId, first.id);
    expect(ended.status).toBe("stopped");
    expect(ended.counts.applied % applyPartSize).toBe(0);
    expect(ended.counts.applied).toBeLessThan(1000);
    expect(ended.counts.applied + ended.counts.remaining).toBe(1000);
    expect(ended.ending).toBe(`Stopped by Avery Admin. ${(1000 - ended.counts.applied).toLocaleString("en-US")} changes not applied; the changes applied stay applied.`);
    expect(await auditEntries("recommendation.applied", run.recs.map((r) => r.id))).toHaveLength(ended.counts.applied);
    // Stopping an ended job answers it as it is.
    const late = await stop(tokens.sam.secret, run.executionId, first.id);
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual(ended);
    // Once it ended, the same filter starts a new job for what is left.
    const rest = await start(tokens.sam.secret, run.executionId);
    expect(rest.status).toBe(202);
    const restJob = (await rest.json()) as Job;
    expect(restJob.counts.planned).toBe(1000 - ended.counts.applied);
    await stop(tokens.sam.secret, run.executionId, restJob.id);
    await pollUntilEnded(tokens.sam.secret, run.executionId, restJob.id);
  });

  it("lets only its starter and admins see or stop a job: another member, another workspace, another run and a read token are refused, changing nothing", { timeout: 300_000 }, async () => {
    const run = await catalogueRun(people.sam, 300);
    const otherRun = await catalogueRun(people.sam, 5);
    const db = await getDb();
    // Maya may see and apply on sam's run, but sam's job is not hers.
    await db.insert(shares).values({ workspaceId: people.sam.workspaceId, executionId: run.executionId, kind: "member", granteeUserId: people.maya.userId, permission: "apply", createdBy: people.sam.userId });

    const byReadToken = await start(tokens.samRead.secret, run.executionId);
    expect(byReadToken.status).toBe(403);
    expect((await byReadToken.json()).error.message).toMatch(/^This token may only read; starting, canceling, applying and deciding need a read\+apply token\./);
    expect(await db.select().from(bulkJobs).where(eq(bulkJobs.executionId, run.executionId))).toEqual([]);

    const started = await start(tokens.sam.secret, run.executionId);
    expect(started.status).toBe(202);
    const job = (await started.json()) as Job;
    const notFound = { error: { code: "not_found", message: "Apply job not found: it does not exist, or is not one you can see." } };
    for (const [token, executionId] of [[tokens.maya.secret, run.executionId], [tokens.globexAdmin.secret, run.executionId], [tokens.sam.secret, otherRun.executionId], [tokens.admin.secret, otherRun.executionId]] as const) {
      const answer = await read(token, executionId, job.id);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toEqual(notFound);
    }
    const mayaStops = await stop(tokens.maya.secret, run.executionId, job.id);
    expect(mayaStops.status).toBe(404);
    expect(await mayaStops.json()).toEqual(notFound);
    const readTokenStops = await stop(tokens.samRead.secret, run.executionId, job.id);
    expect(readTokenStops.status).toBe(403);
    expect((await db.select({ stopRequestedAt: bulkJobs.stopRequestedAt }).from(bulkJobs).where(eq(bulkJobs.id, job.id)))[0]!.stopRequestedAt).toBeNull();
    // Maya's own plan for the run is hers to start: another person's job does not hold it.
    const mayaStarts = await start(tokens.maya.secret, run.executionId, { allMatching: { status: ["approved"], q: "no such words anywhere" } });
    expect(mayaStarts.status).toBe(400);
    expect((await mayaStarts.json()).error.message).toBe("Nothing matching these filters is left to apply.");

    const ended = await pollUntilEnded(tokens.admin.secret, run.executionId, job.id);
    expect(ended).toMatchObject({ status: "finished", counts: { applied: 300 } });
  });

  it("stops a job once the token that started it is revoked: the changes applied stay, nothing after is applied", { timeout: 300_000 }, async () => {
    const run = await catalogueRun(people.sam, 1000);
    const leaked = await tokenOf(people.sam, "read_apply");
    const started = await start(leaked.secret, run.executionId);
    expect(started.status).toBe(202);
    const job = (await started.json()) as Job;
    expect(await revokeApiToken(people.sam, leaked.id)).toEqual({ ok: true });

    const ended = await pollUntilEnded(tokens.sam.secret, run.executionId, job.id);
    expect(ended.status).toBe("stopped");
    expect(ended.counts.applied).toBeLessThan(1000);
    expect(ended.counts.applied + ended.counts.remaining).toBe(1000);
    expect(ended.ending).toBe(`The API token that started it was revoked, so ${(1000 - ended.counts.applied).toLocaleString("en-US")} changes were not applied; the changes applied stay applied.`);
    expect(await auditEntries("recommendation.applied", run.recs.map((r) => r.id))).toHaveLength(ended.counts.applied);
  });

  it("still answers a job at its address once its run was deleted, to its starter and admins only", { timeout: 300_000 }, async () => {
    const run = await catalogueRun(people.sam, 1000);
    const started = await start(tokens.sam.secret, run.executionId);
    expect(started.status).toBe(202);
    const job = (await started.json()) as Job;
    expect(await deleteExecutions(people.sam, [run.executionId])).toMatchObject({ ok: true, deleted: [run.executionId] });

    const ended = await pollUntilEnded(tokens.sam.secret, run.executionId, job.id);
    // Deleted between parts, or during one (whose own check stops it).
    expect(ended).toMatchObject({ id: job.id, executionId: run.executionId, status: "stopped", ending: expect.stringMatching(/^The run was deleted( meanwhile)?; nothing after th(at|is) was (applied|attempted)\.$/) });
    expect((await read(tokens.admin.secret, run.executionId, job.id)).status).toBe(200);
    const stopped = await stop(tokens.sam.secret, run.executionId, job.id);
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as Job).status).toBe("stopped");
    // Another member, and the same job at another run's address, still find nothing.
    expect((await read(tokens.maya.secret, run.executionId, job.id)).status).toBe(404);
    const other = await catalogueRun(people.sam, 5);
    expect((await read(tokens.sam.secret, other.executionId, job.id)).status).toBe(404);
  });

  it("answers malformed ids, bodies and filters with a 4xx sentence, never a 500", async () => {
    const run = await catalogueRun(people.sam, 3);
    const malformed: [Response, number, string | RegExp][] = [
      [await read(tokens.sam.secret, run.executionId, "not-a-uuid"), 404, "Apply job not found: it does not exist, or is not one you can see."],
      [await read(tokens.sam.secret, run.executionId, "00000000-0000-4000-8000-000000000000"), 404, "Apply job not found: it does not exist, or is not one you can see."],
      [await read(tokens.sam.secret, "nope", "00000000-0000-4000-8000-000000000000"), 404, "Apply job not found: it does not exist, or is not one you can see."],
      [await stop(tokens.sam.secret, run.executionId, "1; drop table bulk_jobs"), 404, "Apply job not found: it does not exist, or is not one you can see."],
      [await start(tokens.sam.secret, "not-a-run"), 404, "Execution not found."],
      [await start(tokens.sam.secret, run.executionId, "{not json"), 400, "The request body is not valid JSON."],
      [await start(tokens.sam.secret, run.executionId, []), 400, "Send { \"allMatching\": filter }, the filter whose matches apply."],
      [await start(tokens.sam.secret, run.executionId, {}), 400, /^allMatching: allMatching is the filter whose matches apply/],
      [await start(tokens.sam.secret, run.executionId, { allMatching: "approved" }), 400, /^allMatching: allMatching is the filter whose matches apply/],
      [await start(tokens.sam.secret, run.executionId, { allMatching: { status: ["done"] } }), 400, /^allMatching\.status\.0: Status is one of pending, approved/],
      [await start(tokens.sam.secret, run.executionId, { allMatching: { q: "x".repeat(201) } }), 400, "allMatching.q: Search at most 200 characters."],
      [await start(tokens.sam.secret, run.executionId, { ...approved, after: "eyJ2IjoxfQ" }), 400, /^An apply job takes only allMatching, not after: to apply recommendations by id, or a part per request/],
      [await start(tokens.sam.secret, run.executionId, { ids: [run.recs[0]!.id] }), 400, /takes only allMatching, not ids/],
    ];
    for (const [answer, status, message] of malformed) {
      expect(answer.status).toBe(status);
      expect((await answer.json()).error.message).toMatch(message);
    }
    const db = await getDb();
    expect(await db.select().from(bulkJobs).where(eq(bulkJobs.executionId, run.executionId))).toEqual([]);
  });
});
