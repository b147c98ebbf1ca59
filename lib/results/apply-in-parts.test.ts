import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as applyRoute from "@/app/api/executions/[id]/recommendations/apply/route";
import { getDb } from "@/db/client";
import { auditLog, platformConnections, storeProducts, usageDaily } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { catalogueRun } from "@/db/testing/catalogue-run";
import { callWithToken } from "@/lib/api-tokens/testing";
import { createApiToken } from "@/lib/api-tokens/tokens";
import type { Ctx } from "@/lib/auth/context";
import { deleteExecutions } from "@/lib/executions/delete";
import { applyPartSize, applyPart, previewApplyAllMatching, type ApplyPart } from "./apply-in-parts";
import { decideRecommendations } from "./recommendations";
import type { ChangeOutcome } from "./apply";

let sam: Ctx;
let globexAdmin: Ctx;
const approved = { priority: [], status: ["approved" as const], q: "", sort: "priority" as const };

/** Applies every approved recommendation of the run, part after part, as the dialog does: preview, then each part's `next`. */
async function applyAllInParts(ctx: Ctx, executionId: string): Promise<{ confirmed: number; parts: ApplyPart[] }> {
  const preview = await previewApplyAllMatching(ctx, executionId, approved);
  if (!preview.ok) throw new Error(preview.message);
  const parts: ApplyPart[] = [];
  let after: string | null = preview.preview.start;
  while (after) {
    const part = await applyPart(ctx, executionId, { allMatching: approved, after });
    if (!part.ok) throw new Error(part.message);
    parts.push(part);
    expect(parts.length, "a part that does not move").toBeLessThan(100);
    after = part.next;
  }
  return { confirmed: preview.preview.toApply, parts };
}

const outcomesOf = (parts: ApplyPart[]): ChangeOutcome[] => parts.flatMap((p) => p.outcomes);

async function storeTitles(ids: string[]): Promise<Map<string, string>> {
  const db = await getDb();
  const rows = await db.select({ id: storeProducts.id, title: storeProducts.title }).from(storeProducts).where(inArray(storeProducts.id, ids));
  return new Map(rows.map((r) => [r.id, r.title]));
}

async function appliedAudits(ids: string[]): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(and(eq(auditLog.action, "recommendation.applied"), inArray(auditLog.targetId, ids)));
  return row!.n;
}

async function appliedUsage(ctx: Ctx): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`coalesce(sum(${usageDaily.applied}), 0)::int` }).from(usageDaily).where(and(eq(usageDaily.workspaceId, ctx.workspaceId), eq(usageDaily.agentId, "seo-audit")));
  return row!.n;
}

beforeAll(async () => {
  ({ sam, globexAdmin } = await seededPeople());
});

describe("applying every approved recommendation of a large run, in parts", () => {
  it("applies 1,100 approved titles by filter: each once, in parts of at most 250, each audited and counted once", { timeout: 240_000 }, async () => {
    const run = await catalogueRun(sam, 1100);
    const usageBefore = await appliedUsage(sam);
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview).toMatchObject({ toApply: 1100, alreadyApplied: 0, rejected: 0, description: "approved" });
    // The browser is sent the first 100 changes, not 1,100.
    expect(preview.preview.first).toHaveLength(100);

    const { confirmed, parts } = await applyAllInParts(sam, run.executionId);
    expect(confirmed).toBe(1100);
    expect(parts.length).toBe(Math.ceil(1100 / applyPartSize));
    for (const part of parts) expect(part.outcomes.length).toBeLessThanOrEqual(applyPartSize);
    expect(parts.map((p) => p.remaining)).toEqual(parts.map((_, i) => Math.max(0, 1100 - (i + 1) * applyPartSize)));
    const outcomes = outcomesOf(parts);
    expect(outcomes.filter((o) => o.outcome === "applied")).toHaveLength(1100);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(1100);

    const titles = await storeTitles(run.recs.map((r) => r.itemRef));
    expect(run.recs.filter((r) => titles.get(r.itemRef) !== r.after)).toEqual([]);
    expect(await appliedAudits(run.recs.map((r) => r.id))).toBe(1100);
    expect((await appliedUsage(sam)) - usageBefore).toBe(1100);

    // The same filter again finds nothing left to apply, and changes nothing.
    const again = await applyPart(sam, run.executionId, { allMatching: approved });
    expect(again).toEqual({ ok: true, outcomes: [], next: null, remaining: 0 });
    expect(await appliedAudits(run.recs.map((r) => r.id))).toBe(1100);
  });

  it("applies each change once when the same plan is confirmed in two tabs at the same moment", { timeout: 240_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const usageBefore = await appliedUsage(sam);
    const [first, second] = await Promise.all([applyAllInParts(sam, run.executionId), applyAllInParts(sam, run.executionId)]);
    const outcomes = [...outcomesOf(first.parts), ...outcomesOf(second.parts)];
    const applied = outcomes.filter((o) => o.outcome === "applied");
    expect(new Set(applied.map((o) => o.id)).size).toBe(applied.length);
    expect(applied).toHaveLength(600);
    expect(outcomes.filter((o) => o.outcome === "failed")).toEqual([]);
    const titles = await storeTitles(run.recs.map((r) => r.itemRef));
    expect(run.recs.filter((r) => titles.get(r.itemRef) !== r.after)).toEqual([]);
    expect(await appliedAudits(run.recs.map((r) => r.id))).toBe(600);
    expect((await appliedUsage(sam)) - usageBefore).toBe(600);
  });

  it("passes a change that fails (its store value moved): it is reported once and the loop goes on to the end", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 600);
    const db = await getDb();
    // Every 50th product was renamed by hand in the store since the agent ran.
    const moved = run.recs.filter((_, i) => i % 50 === 0);
    await db.update(storeProducts).set({ title: sql`${storeProducts.title} || ' (edited)'` }).where(inArray(storeProducts.id, moved.map((r) => r.itemRef)));

    const { parts } = await applyAllInParts(sam, run.executionId);
    const outcomes = outcomesOf(parts);
    const failed = outcomes.filter((o) => o.outcome === "failed");
    expect(failed.map((o) => o.id).sort()).toEqual(moved.map((r) => r.id).sort());
    expect(failed.every((o) => /changed since the agent ran/.test(o.reason ?? ""))).toBe(true);
    expect(outcomes.filter((o) => o.outcome === "applied")).toHaveLength(600 - moved.length);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(outcomes.length);
    expect(parts.at(-1)).toMatchObject({ next: null, remaining: 0 });
  });

  it("applies no more than was confirmed: one approved after the preview stays unapplied, one rejected meanwhile too", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 300, 20);
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.toApply).toBe(300);
    // After the preview, someone approves the 20 pending ones and rejects one of the 300.
    const late = run.recs.slice(300);
    const rejected = run.recs[150]!;
    expect(await decideRecommendations(sam, run.executionId, { ids: late.map((r) => r.id), decision: "approved" })).toEqual({ ok: true, changed: 20 });
    expect(await decideRecommendations(sam, run.executionId, { ids: [rejected.id], decision: "rejected" })).toEqual({ ok: true, changed: 1 });

    const parts: ApplyPart[] = [];
    for (let after: string | null = preview.preview.start; after;) {
      const part = await applyPart(sam, run.executionId, { allMatching: approved, after });
      if (!part.ok) throw new Error(part.message);
      parts.push(part);
      after = part.next;
    }
    const outcomes = outcomesOf(parts);
    const applied = outcomes.filter((o) => o.outcome === "applied").map((o) => o.id);
    expect(applied).toHaveLength(299);
    expect(applied).not.toContain(rejected.id);
    for (const rec of late) expect(applied).not.toContain(rec.id);
    // Those approved after the preview that the parts met are reported as such.
    for (const o of outcomes.filter((o) => late.some((r) => r.id === o.id))) expect(o).toMatchObject({ outcome: "skipped", reason: expect.stringMatching(/approved after your preview/) });
    const titles = await storeTitles([...late, rejected].map((r) => r.itemRef));
    for (const rec of [...late, rejected]) expect(titles.get(rec.itemRef)).toBe(rec.before);
  });

  it("stops when the store connection is lost, and applying the same filter again later takes up the rest once", { timeout: 120_000 }, async () => {
    const run = await catalogueRun(sam, 400);
    const db = await getDb();
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    const first = await applyPart(sam, run.executionId, { allMatching: approved, after: preview.preview.start });
    if (!first.ok) throw new Error(first.message);
    await db.update(platformConnections).set({ health: "lost" }).where(eq(platformConnections.workspaceId, sam.workspaceId));
    let stopped: ApplyPart;
    try {
      const part = await applyPart(sam, run.executionId, { allMatching: approved, after: first.next! });
      if (!part.ok) throw new Error(part.message);
      stopped = part;
    } finally {
      await db.update(platformConnections).set({ health: "active" }).where(eq(platformConnections.workspaceId, sam.workspaceId));
    }
    expect(stopped.outcomes.map((o) => o.outcome)).toEqual(["failed"]);
    expect(stopped).toMatchObject({ next: null, remaining: 400 - applyPartSize, stopped: expect.stringMatching(/connection is lost.*150 changes not attempted/) });

    const { confirmed, parts } = await applyAllInParts(sam, run.executionId);
    expect(confirmed).toBe(150);
    expect(outcomesOf(parts).filter((o) => o.outcome === "applied")).toHaveLength(150);
    expect(await appliedAudits(run.recs.map((r) => r.id))).toBe(400);
  });

  it("answers a deleted execution's next part with not found", async () => {
    const run = await catalogueRun(sam, 260);
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    const first = await applyPart(sam, run.executionId, { allMatching: approved, after: preview.preview.start });
    expect(first.ok && first.next).toBeTruthy();
    expect((await deleteExecutions(sam, [run.executionId])).ok).toBe(true);
    expect(await applyPart(sam, run.executionId, { allMatching: approved, after: first.ok ? first.next! : "" })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("a part's after token", () => {
  it("refuses a token that is not one the API gave, another filter's or another run's, with a 400 sentence, changing nothing", async () => {
    const run = await catalogueRun(sam, 5);
    const other = await catalogueRun(sam, 5);
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    const start = preview.preview.start;
    const forged = (change: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(start, "base64url").toString()), ...change })).toString("base64url");

    for (const after of ["garbage", "", "%%%", forged({ asOf: "2026-02-31T10:00:00.000000Z" }), forged({ after: ["urgent", "x", crypto.randomUUID()] }), forged({ confirmed: -1 }), "a".repeat(20_000)]) {
      expect(await applyPart(sam, run.executionId, { allMatching: approved, after }), after.slice(0, 40)).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(/after/) });
    }
    expect(await applyPart(sam, run.executionId, { allMatching: { ...approved, priority: ["high"] }, after: start })).toMatchObject({
      ok: false, code: "invalid_input", message: expect.stringMatching(/given for other filters \(approved\), not high priority · approved/),
    });
    expect(await applyPart(sam, other.executionId, { allMatching: approved, after: start })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringMatching(/another execution/) });
    expect(await applyPart(globexAdmin, run.executionId, { allMatching: approved, after: start })).toMatchObject({ ok: false, code: "not_found" });
    expect(await appliedAudits(run.recs.map((r) => r.id))).toBe(0);

    // Through the JSON API: a 400 with the sentence, and the loop as a script would run it.
    const token = await createApiToken(sam, { name: "apply script", scope: "read_apply", expiresIn: "30" });
    if (!token.ok || token.isRepeat) throw new Error(token.ok ? "A repeat" : token.message);
    const post = (body: unknown) => callWithToken(applyRoute.POST, `/api/executions/${run.executionId}/recommendations/apply`, token.token, { id: run.executionId }, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const bad = await post({ allMatching: approved, after: "garbage" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not one this API gave/);
    const answered = (await (await post({ allMatching: approved })).json()) as ApplyPart;
    expect(answered).toMatchObject({ next: null, remaining: 0 });
    expect(answered.outcomes.map((o) => o.outcome)).toEqual(["applied", "applied", "applied", "applied", "applied"]);
  });
});
