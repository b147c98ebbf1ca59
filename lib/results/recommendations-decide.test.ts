import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb } from "@/db/client";
import { auditLog, recommendations, shares, type Execution, type Recommendation } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { decidableStatuses, recommendationFilterSchema, recommendationStatuses, type RecommendationFilter } from "./recommendation-filter";
import { previewApplyAllMatching } from "./apply-in-parts";
import { decideRecommendations, planDecideAllMatching } from "./recommendations";

const isPostgres = Boolean(process.env.RUNLOG_TEST_DATABASE_URL);

let sam: Ctx;
let lee: Ctx;
let globexAdmin: Ctx;
let run: Execution;
let otherRun: Execution;

/** 60 rows: boots and shells, priorities in turn, and every status spread over them. */
async function createRun(ctx: Ctx): Promise<Execution> {
  const execution = await createFinishedExecution(ctx, {
    recommendations: Array.from({ length: 60 }, (_, i) => ({ itemLabel: `${i % 2 ? "Rain shell" : "Trail boot"} ${i}`, before: "old", after: `new ${i}`, rationale: "r" })),
  });
  const db = await getDb();
  const rows = await db.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.executionId, execution.id)).orderBy(recommendations.itemRef);
  for (const [n, status] of recommendationStatuses.entries()) {
    const ids = rows.filter((_, i) => Math.floor(i / 5) % recommendationStatuses.length === n).map((r) => r.id);
    if (status !== "pending") await db.update(recommendations).set({ status }).where(inArray(recommendations.id, ids));
  }
  return execution;
}

const filterOf = (raw: Record<string, unknown>): RecommendationFilter => recommendationFilterSchema.parse(raw);

async function rowsOf(execution: Execution): Promise<Recommendation[]> {
  const db = await getDb();
  return db.select().from(recommendations).where(eq(recommendations.executionId, execution.id)).orderBy(recommendations.id);
}

/** What a decision may change of a row, to compare before and after. */
const decisionState = (rows: Recommendation[]) => rows.map((r) => ({ id: r.id, status: r.status, decidedBy: r.decidedBy, decidedAt: r.decidedAt?.toISOString() ?? null }));

async function decisionAudits(execution: Execution) {
  const db = await getDb();
  return db.select().from(auditLog).where(and(eq(auditLog.action, "recommendation.decided"), eq(auditLog.targetId, execution.id)));
}

/** The rows the filter (high priority, "boot") matches, counted in JS from the fixture. */
const isHighBoot = (r: Recommendation) => r.priority === "high" && r.itemLabel.includes("boot");

beforeAll(async () => {
  ({ sam, lee, globexAdmin } = await seededPeople());
  run = await createRun(sam);
  otherRun = await createRun(sam);
});

describe("deciding every recommendation a filter matches", () => {
  it("approves exactly the matching ones that a decision changes, leaves everything else as it was, and records one audit entry with the filter and count", async () => {
    const filter = filterOf({ priority: ["high"], q: "boot" });
    const before = await rowsOf(run);
    const othersBefore = await rowsOf(otherRun);
    const open = before.filter((r) => isHighBoot(r) && decidableStatuses.includes(r.status));
    const expected = open.filter((r) => r.status !== "approved");
    const leftAlone = before.filter((r) => isHighBoot(r) && !decidableStatuses.includes(r.status));
    // The fixture has every kind among the matches (some approved already), and rows outside the filter.
    expect(expected.length).toBeGreaterThan(0);
    expect(open.length).toBeGreaterThan(expected.length);
    expect(leftAlone.length).toBeGreaterThan(0);

    const planned = await planDecideAllMatching(sam, run.id, filter);
    expect(planned).toEqual({
      ok: true,
      plan: {
        matching: open.length + leftAlone.length, decidable: open.length, toApprove: expected.length,
        toReject: open.filter((r) => r.status !== "rejected").length, description: "high priority · “boot”",
      },
    });

    const decided = await decideRecommendations(sam, run.id, { allMatching: filter, expectedCount: expected.length, decision: "approved" });
    expect(decided).toEqual({ ok: true, changed: expected.length });

    const after = await rowsOf(run);
    const changedIds = new Set(expected.map((r) => r.id));
    for (const row of after) {
      if (changedIds.has(row.id)) expect(row).toMatchObject({ status: "approved", decidedBy: sam.userId });
    }
    expect(decisionState(after.filter((r) => !changedIds.has(r.id)))).toEqual(decisionState(before.filter((r) => !changedIds.has(r.id))));
    expect(decisionState(await rowsOf(otherRun))).toEqual(decisionState(othersBefore));

    expect((await decisionAudits(run)).map((a) => ({ actor: a.actorUserId, data: a.data }))).toEqual([
      { actor: sam.userId, data: { decision: "approved", count: expected.length, filter: "high priority · “boot”" } },
    ]);
    expect(await decisionAudits(otherRun)).toEqual([]);
  });

  it("changes nothing when the number confirmed is not the number that would change now, and says the new number", async () => {
    const filter = filterOf({ status: ["pending", "failed"], q: "shell" });
    const planned = await planDecideAllMatching(sam, run.id, filter);
    if (!planned.ok) throw new Error(planned.message);
    const seen = planned.plan.toReject;
    expect(seen).toBeGreaterThan(1);
    const audits = (await decisionAudits(run)).length;

    // Someone else applies one of them between the count and the confirm.
    const db = await getDb();
    const [taken] = (await rowsOf(run)).filter((r) => r.itemLabel.includes("shell") && r.status === "pending");
    await db.update(recommendations).set({ status: "applied" }).where(eq(recommendations.id, taken!.id));
    try {
      const before = decisionState(await rowsOf(run));
      const stale = await decideRecommendations(sam, run.id, { allMatching: filter, expectedCount: seen, decision: "rejected" });
      expect(stale).toEqual({
        ok: false, code: "conflict",
        message: `These filters now match ${seen - 1} recommendations to reject, not ${seen}. Nothing was changed; check the list and try again.`,
      });
      // A count confirmed for one filter, sent with another (the filter changed meanwhile).
      const otherFilter = await decideRecommendations(sam, run.id, { allMatching: filterOf({ status: ["pending"] }), expectedCount: seen - 1, decision: "rejected" });
      expect(otherFilter).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/^These filters now match \d+ recommendations to reject, not \d+\. Nothing was changed/) });
      expect(decisionState(await rowsOf(run))).toEqual(before);
      expect((await decisionAudits(run)).length).toBe(audits);

      // Counted again, the new number goes through.
      const again = await planDecideAllMatching(sam, run.id, filter);
      expect(again).toMatchObject({ ok: true, plan: { toReject: seen - 1 } });
      expect(await decideRecommendations(sam, run.id, { allMatching: filter, expectedCount: seen - 1, decision: "rejected" })).toEqual({ ok: true, changed: seen - 1 });
      expect((await decisionAudits(run)).length).toBe(audits + 1);
    } finally {
      await db.update(recommendations).set({ status: "pending" }).where(eq(recommendations.id, taken!.id));
    }
  });

  // PGlite has one connection, so nothing can land between the count and the write there.
  it.runIf(isPostgres)("changes nothing when someone else's change lands between the count and the write", async () => {
    const filter = filterOf({ status: ["pending"], q: "boot" });
    const planned = await planDecideAllMatching(sam, run.id, filter);
    if (!planned.ok) throw new Error(planned.message);
    const seen = planned.plan.toApprove;
    const db = await getDb();
    const [taken] = (await rowsOf(run)).filter((r) => r.itemLabel.includes("boot") && r.status === "pending");
    const before = decisionState(await rowsOf(run));
    const audits = (await decisionAudits(run)).length;
    let release!: () => void;
    let isHeld!: () => void;
    const held = new Promise<void>((resolve) => (isHeld = resolve));
    // Another session applies one of them and holds its transaction open: the decision's count
    // still sees the row pending, and its UPDATE waits for the row, then finds it applied.
    const other = db.transaction(async (tx) => {
      await tx.update(recommendations).set({ status: "applied" }).where(eq(recommendations.id, taken!.id));
      isHeld();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await held;
      const deciding = decideRecommendations(sam, run.id, { allMatching: filter, expectedCount: seen, decision: "approved" });
      for (let waited = 0; ; waited += 20) {
        const [waiting] = await executeRows<{ n: number }>(db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (waiting!.n > 0) break;
        if (waited > 10_000) throw new Error("The decision never waited for the held row.");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      release();
      await other;
      expect(await deciding).toEqual({
        ok: false, code: "conflict",
        message: `These filters now match ${seen - 1} recommendations to approve, not ${seen}. Nothing was changed; check the list and try again.`,
      });
      const after = decisionState(await rowsOf(run));
      expect(after.filter((r) => r.id !== taken!.id)).toEqual(before.filter((r) => r.id !== taken!.id));
      expect((await decisionAudits(run)).length).toBe(audits);
    } finally {
      release?.();
      await other;
      await db.update(recommendations).set({ status: "pending" }).where(eq(recommendations.id, taken!.id));
    }
  });

  it("refuses a person who may not decide, and changes nothing", async () => {
    const filter = filterOf({});
    const planned = await planDecideAllMatching(sam, run.id, filter);
    if (!planned.ok) throw new Error(planned.message);
    const input = { allMatching: filter, expectedCount: planned.plan.toReject, decision: "rejected" };
    const before = decisionState(await rowsOf(run));
    const audits = (await decisionAudits(run)).length;

    // Lee cannot see sam's run; then sees it through a view-only share; Globex's admin is in another workspace.
    expect(await decideRecommendations(lee, run.id, input)).toMatchObject({ ok: false, code: "not_found" });
    expect(await planDecideAllMatching(lee, run.id, filter)).toMatchObject({ ok: false, code: "not_found" });
    const db = await getDb();
    await db.insert(shares).values({ workspaceId: sam.workspaceId, executionId: run.id, kind: "member", granteeUserId: lee.userId, permission: "view", createdBy: sam.userId });
    expect(await decideRecommendations(lee, run.id, input)).toMatchObject({ ok: false, code: "forbidden", message: expect.stringMatching(/apply permission/) });
    expect(await planDecideAllMatching(lee, run.id, filter)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await decideRecommendations(globexAdmin, run.id, input)).toMatchObject({ ok: false, code: "not_found" });

    expect(decisionState(await rowsOf(run))).toEqual(before);
    expect((await decisionAudits(run)).length).toBe(audits);
  });

  it("answers a sentence for a body it cannot use, and changes nothing", async () => {
    const before = decisionState(await rowsOf(run));
    const cases: [unknown, RegExp][] = [
      [{ allMatching: {}, decision: "approved" }, /expectedCount: Confirm how many recommendations will change/],
      [{ allMatching: {}, expectedCount: 1.5, decision: "approved" }, /expectedCount: expectedCount is a whole number/],
      [{ allMatching: { status: ["done"] }, expectedCount: 1, decision: "approved" }, /allMatching\.status\.0: Status is one of pending/],
      [{ allMatching: {}, expectedCount: 1, decision: "maybe" }, /decision: A decision is approved, rejected or pending/],
      // PostgreSQL refuses NUL in text: a JSON body's search is not cleaned as the page's URL is.
      [{ allMatching: { q: "boot\u0000" }, expectedCount: 1, decision: "approved" }, /allMatching\.q: Search cannot hold control characters\./],
      // The id form keeps its own sentences.
      [{ ids: [], decision: "approved" }, /ids: Select at least one recommendation/],
    ];
    for (const [body, message] of cases) {
      expect(await decideRecommendations(sam, run.id, body)).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(message) });
    }
    expect(await planDecideAllMatching(sam, run.id, { priority: "urgent" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await planDecideAllMatching(sam, run.id, { q: "a\u0007b" })).toMatchObject({ ok: false, code: "invalid_input", message: "q: Search cannot hold control characters." });
    expect(await previewApplyAllMatching(sam, run.id, { q: "\u0000" })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(/Search cannot hold control characters/) });
    expect(decisionState(await rowsOf(run))).toEqual(before);
  });
  it("counts for each decision what it would change: applied and reverted ones, and those already in that state, are left out", async () => {
    // 60 rows, 10 of each status: pending, approved, rejected, applied, failed, reverted.
    const fresh = await createRun(sam);
    const planned = await planDecideAllMatching(sam, fresh.id, filterOf({}));
    expect(planned).toEqual({ ok: true, plan: { matching: 60, decidable: 40, toApprove: 30, toReject: 30, description: "every recommendation of this run" } });
    const boots = await planDecideAllMatching(sam, fresh.id, filterOf({ q: "boot", status: ["approved", "applied", "failed"] }));
    expect(boots).toEqual({ ok: true, plan: { matching: 15, decidable: 10, toApprove: 5, toReject: 10, description: "approved or applied or could not apply · “boot”" } });
  });

  it("refuses the same approval of every match sent again (no status filter): nothing is decided twice, one audit entry, and who decided each keeps it", async () => {
    const fresh = await createRun(sam);
    const filter = filterOf({ q: "boot" });
    const before = await rowsOf(fresh);
    const planned = await planDecideAllMatching(sam, fresh.id, filter);
    if (!planned.ok) throw new Error(planned.message);
    const n = planned.plan.toApprove;
    expect(n).toBe(before.filter((r) => r.itemLabel.includes("boot") && decidableStatuses.includes(r.status) && r.status !== "approved").length);
    const input = { allMatching: filter, expectedCount: n, decision: "approved" };

    expect(await decideRecommendations(sam, fresh.id, input)).toEqual({ ok: true, changed: n });
    const first = await rowsOf(fresh);
    // The boots approved before it keep who approved them (nobody, in the fixture) and when.
    const approvedBefore = new Set(before.filter((r) => r.status === "approved").map((r) => r.id));
    expect(decisionState(first.filter((r) => approvedBefore.has(r.id)))).toEqual(decisionState(before.filter((r) => approvedBefore.has(r.id))));

    expect(await decideRecommendations(sam, fresh.id, input)).toEqual({
      ok: false, code: "conflict",
      message: `These filters now match 0 recommendations to approve, not ${n}. Nothing was changed; check the list and try again.`,
    });
    expect(decisionState(await rowsOf(fresh))).toEqual(decisionState(first));
    expect((await decisionAudits(fresh)).map((a) => a.data)).toEqual([{ decision: "approved", count: n, filter: "“boot”" }]);
  });

  it("decides the same request sent twice at once only once", async () => {
    const fresh = await createRun(sam);
    const filter = filterOf({ q: "shell" });
    const planned = await planDecideAllMatching(sam, fresh.id, filter);
    if (!planned.ok) throw new Error(planned.message);
    const input = { allMatching: filter, expectedCount: planned.plan.toReject, decision: "rejected" };
    const both = await Promise.all([decideRecommendations(sam, fresh.id, input), decideRecommendations(sam, fresh.id, input)]);
    expect(both.filter((r) => r.ok)).toEqual([{ ok: true, changed: planned.plan.toReject }]);
    expect(both.filter((r) => !r.ok)).toMatchObject([{ ok: false, code: "conflict", message: expect.stringMatching(/^These filters now match 0 recommendations to reject/) }]);
    expect(await decisionAudits(fresh)).toHaveLength(1);
  });
});

describe("deciding recommendations by id", () => {
  it("leaves one already in the state decided as it is: not counted, who decided it kept, no audit entry when nothing changed", async () => {
    const fresh = await createRun(sam);
    const before = await rowsOf(fresh);
    const [pending, other] = before.filter((r) => r.status === "pending");
    expect(await decideRecommendations(sam, fresh.id, { ids: [pending!.id], decision: "approved" })).toEqual({ ok: true, changed: 1 });
    const [approved] = (await rowsOf(fresh)).filter((r) => r.id === pending!.id);
    expect(approved).toMatchObject({ status: "approved", decidedBy: sam.userId });

    // Approved again: nothing changes, nothing is recorded.
    expect(await decideRecommendations(sam, fresh.id, { ids: [pending!.id], decision: "approved" })).toEqual({ ok: true, changed: 0 });
    expect(decisionState((await rowsOf(fresh)).filter((r) => r.id === pending!.id))).toEqual(decisionState([approved!]));
    expect(await decisionAudits(fresh)).toHaveLength(1);

    // With another one still pending: only that one counts.
    expect(await decideRecommendations(sam, fresh.id, { ids: [pending!.id, other!.id], decision: "approved" })).toEqual({ ok: true, changed: 1 });
    expect(decisionState((await rowsOf(fresh)).filter((r) => r.id === pending!.id))).toEqual(decisionState([approved!]));
    expect((await decisionAudits(fresh)).map((a) => a.data)).toEqual([{ decision: "approved", count: 1 }, { decision: "approved", count: 1 }]);

    // Setting a pending one back to pending changes nothing either.
    const [stillPending] = before.filter((r) => r.status === "pending" && r.id !== pending!.id && r.id !== other!.id);
    expect(await decideRecommendations(sam, fresh.id, { ids: [stillPending!.id], decision: "pending" })).toEqual({ ok: true, changed: 0 });
    expect(await decisionAudits(fresh)).toHaveLength(2);
  });
});
