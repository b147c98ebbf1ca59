import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, platformConnections, recommendations, shares, storePages, storeProducts, type Recommendation } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { runExecutionInProcess } from "@/inngest/embedded";
import { deleteExecutions } from "@/lib/executions/delete";
import { startExecution } from "@/lib/executions/start";
import { applyRecommendations, previewApply, revertRecommendation } from "./apply";
import { previewApplyAllMatching } from "./apply-in-parts";
import { decideRecommendations } from "./recommendations";

let sam: Ctx;
let lee: Ctx;
let admin: Ctx;
let globexAdmin: Ctx;
let executionId: string;

/** A fresh SEO audit by sam over pages and products: its "before" values are the store's current ones. */
async function runAudit(ctx: Ctx): Promise<string> {
  const started = await startExecution(ctx, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 60 }, includePages: true, includeProducts: true } });
  if (!started.ok) throw new Error(started.message);
  await runExecutionInProcess({ executionId: started.executionId, workspaceId: ctx.workspaceId });
  return started.executionId;
}

async function recs(where = sql`true`): Promise<Recommendation[]> {
  const db = await getDb();
  return db.select().from(recommendations).where(and(eq(recommendations.executionId, executionId), where)).orderBy(recommendations.id);
}

const storeColumns = { title: "title", meta_description: "metaDescription", description: "description" } as const;

/** The store's current value of a recommendation's field (text fields of pages and products). */
async function storeValue(rec: Recommendation): Promise<string | null> {
  const db = await getDb();
  const table = rec.itemType === "page" ? storePages : storeProducts;
  const [row] = await db.select().from(table).where(eq(table.id, rec.itemRef));
  return (row as unknown as Record<string, string | null>)[storeColumns[rec.field as "title"]] ?? null;
}

/** Puts the store's field back to what the agent saw, for the tests after one whose run is gone. */
async function restoreStoreValue(rec: Recommendation): Promise<void> {
  const db = await getDb();
  const table = rec.itemType === "page" ? storePages : storeProducts;
  await db.update(table).set({ [storeColumns[rec.field as "title"]]: rec.beforeValue } as never).where(eq(table.id, rec.itemRef));
}

async function textRecs(n: number): Promise<Recommendation[]> {
  const all = await recs(sql`${recommendations.status} = 'pending' and ${recommendations.field} in ('title', 'meta_description')`);
  // One per item, so applying one never makes another stale.
  const seen = new Set<string>();
  const picked = all.filter((r) => !seen.has(r.itemRef) && seen.add(r.itemRef));
  expect(picked.length).toBeGreaterThanOrEqual(n);
  return picked.slice(0, n);
}

async function applyAudits(recommendationId: string): Promise<number> {
  const db = await getDb();
  const rows = await db.select().from(auditLog).where(and(eq(auditLog.action, "recommendation.applied"), eq(auditLog.targetId, recommendationId)));
  return rows.length;
}

beforeAll(async () => {
  sam = await seededCtx("sam@acme.test");
  lee = await seededCtx("lee@acme.test");
  admin = await seededCtx("admin@acme.test");
  globexAdmin = await seededCtx("admin@globex.test", "globex");
  executionId = await runAudit(sam);
});

describe("applying recommendations", () => {
  it("previews exactly the selected changes, then applies them to the store and records who did it", async () => {
    const chosen = await textRecs(3);
    const preview = await previewApply(sam, executionId, { ids: chosen.map((r) => r.id) });
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.changes.map((c) => [c.id, c.beforeValue, c.value]).sort()).toEqual(chosen.map((r) => [r.id, r.beforeValue, r.afterValue]).sort());
    for (const rec of chosen) expect(await storeValue(rec)).toBe(rec.beforeValue);

    const applied = await applyRecommendations(sam, executionId, { ids: chosen.map((r) => r.id) });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.outcomes.map((o) => o.outcome)).toEqual(["applied", "applied", "applied"]);
    for (const rec of chosen) {
      expect(await storeValue(rec)).toBe(rec.afterValue);
      const [after] = await recs(sql`${recommendations.id} = ${rec.id}`);
      expect(after).toMatchObject({ status: "applied", appliedBy: sam.userId });
      expect(await applyAudits(rec.id)).toBe(1);
    }
  });

  it("changes the store once when the same selection is submitted twice at the same time", async () => {
    const chosen = await textRecs(4);
    const ids = chosen.map((r) => r.id);
    const [first, second] = await Promise.all([applyRecommendations(sam, executionId, { ids }), applyRecommendations(sam, executionId, { ids })]);
    if (!first.ok || !second.ok) throw new Error("apply refused");
    const outcomes = [...first.outcomes, ...second.outcomes];
    for (const id of ids) {
      const mine = outcomes.filter((o) => o.id === id).map((o) => o.outcome).sort();
      expect(mine).toEqual(["already_applied", "applied"]);
      expect(await applyAudits(id)).toBe(1);
    }
    for (const rec of chosen) expect(await storeValue(rec)).toBe(rec.afterValue);
  });

  it("applies a person's edit instead of the proposal", async () => {
    const [rec] = await textRecs(1);
    const db = await getDb();
    await db.update(recommendations).set({ editedValue: "Hand-written by Sam" }).where(eq(recommendations.id, rec!.id));
    const applied = await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    expect(applied.ok && applied.outcomes[0]!.outcome).toBe("applied");
    expect(await storeValue(rec!)).toBe("Hand-written by Sam");
  });

  it("refuses a change whose store value moved since the agent ran, and says why", async () => {
    const [rec] = await textRecs(1);
    const db = await getDb();
    const table = rec!.itemType === "page" ? storePages : storeProducts;
    const column = rec!.field === "title" ? { title: "Changed by hand in the store" } : { metaDescription: "Changed by hand in the store" };
    await db.update(table).set(column).where(eq(table.id, rec!.itemRef));
    const applied = await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.outcomes[0]).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/changed since the agent ran/) });
    expect(await storeValue(rec!)).toBe("Changed by hand in the store");
    const [after] = await recs(sql`${recommendations.id} = ${rec!.id}`);
    expect(after).toMatchObject({ status: "failed", applyError: expect.stringMatching(/changed/) });
  });

  it("refuses a title another item of the store has, says which, and applies it once that item is renamed", async () => {
    const [rec] = await recs(sql`${recommendations.status} = 'pending' and ${recommendations.field} = 'title'`);
    expect(rec).toBeDefined();
    const db = await getDb();
    const [other] = await db.select().from(storeProducts).where(and(eq(storeProducts.workspaceId, sam.workspaceId), sql`${storeProducts.id}::text <> ${rec!.itemRef}`)).limit(1);
    await db.update(storeProducts).set({ title: rec!.afterValue }).where(eq(storeProducts.id, other!.id));
    try {
      const applied = await applyRecommendations(sam, executionId, { ids: [rec!.id] });
      if (!applied.ok) throw new Error(applied.message);
      expect(applied.outcomes).toEqual([{
        id: rec!.id, itemLabel: rec!.itemLabel, field: "title", outcome: "failed",
        reason: `“${rec!.afterValue}” is already the title of the product ${other!.sku} in the store; two items with one title compete in search results. Edit this title, or rename the other item, then apply again.`,
      }]);
      expect(await storeValue(rec!)).toBe(rec!.beforeValue);
      expect((await recs(sql`${recommendations.id} = ${rec!.id}`))[0]).toMatchObject({ status: "failed", applyError: expect.stringMatching(/already the title of the product/) });
      expect(await applyAudits(rec!.id)).toBe(0);
    } finally {
      await db.update(storeProducts).set({ title: other!.title }).where(eq(storeProducts.id, other!.id));
    }
    const again = await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    expect(again.ok && again.outcomes[0]!.outcome).toBe("applied");
    expect(await storeValue(rec!)).toBe(rec!.afterValue);
  });

  it("applies all matching a filter, skipping rejected ones", async () => {
    const high = await recs(sql`${recommendations.status} = 'pending' and ${recommendations.priority} = 'high'`);
    expect(high.length).toBeGreaterThan(1);
    const rejected = high[0]!;
    expect(await decideRecommendations(sam, executionId, { ids: [rejected.id], decision: "rejected" })).toEqual({ ok: true, changed: 1 });
    const preview = await previewApplyAllMatching(sam, executionId, { priority: ["high"], status: ["pending", "rejected"], q: "", sort: "priority" });
    if (!preview.ok) throw new Error(preview.message);
    expect(preview.preview.first.map((c) => c.id)).not.toContain(rejected.id);
    expect(preview.preview).toMatchObject({ toApply: high.length - 1, rejected: 1 });
  });

  it("stops when the store connection is lost: nothing is marked applied", async () => {
    const chosen = await textRecs(2);
    const db = await getDb();
    await db.update(platformConnections).set({ health: "lost" }).where(eq(platformConnections.workspaceId, sam.workspaceId));
    const applied = await applyRecommendations(sam, executionId, { ids: chosen.map((r) => r.id) });
    await db.update(platformConnections).set({ health: "active" }).where(eq(platformConnections.workspaceId, sam.workspaceId));
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.outcomes.map((o) => o.outcome)).toEqual(["failed", "skipped"]);
    expect(applied.outcomes[0]!.reason).toMatch(/connection is lost/);
    for (const rec of chosen) expect(await storeValue(rec)).toBe(rec.beforeValue);
  });

  it("stops when the execution is deleted midway, and every change it made to the store is reported and audited", async () => {
    const doomed = await runAudit(sam);
    const db = await getDb();
    const pending = await db.select().from(recommendations).where(and(eq(recommendations.executionId, doomed), sql`${recommendations.status} = 'pending' and ${recommendations.field} in ('title', 'meta_description')`)).orderBy(recommendations.id);
    const seen = new Set<string>();
    const chosen = pending.filter((r) => !seen.has(r.itemRef) && seen.add(r.itemRef)).slice(0, 20);
    expect(chosen).toHaveLength(20);
    await db.update(platformConnections).set({ health: "slow", latencyMs: 60 }).where(eq(platformConnections.workspaceId, sam.workspaceId));
    try {
      const applying = applyRecommendations(sam, doomed, { ids: chosen.map((r) => r.id) });
      const appliedSoFar = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(recommendations).where(and(eq(recommendations.executionId, doomed), eq(recommendations.status, "applied"))))[0]!.n;
      while ((await appliedSoFar()) < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      const deleted = await deleteExecutions(sam, [doomed]);
      expect(deleted.ok).toBe(true);
      const applied = await applying;
      if (!applied.ok) throw new Error(applied.message);

      const changed = [];
      for (const rec of chosen) if ((await storeValue(rec)) === rec.afterValue) changed.push(rec.id);
      const reportedApplied = applied.outcomes.filter((o) => o.outcome === "applied").map((o) => o.id);
      expect(reportedApplied.sort()).toEqual(changed.sort());
      expect(changed.length).toBeGreaterThanOrEqual(3);
      expect(changed.length).toBeLessThan(20);
      for (const id of changed) expect(await applyAudits(id)).toBe(1);
      const rest = applied.outcomes.filter((o) => o.outcome !== "applied");
      expect(rest.map((o) => [o.outcome, o.reason])).toEqual(rest.map(() => ["skipped", "Not attempted: the execution was deleted meanwhile."]));
    } finally {
      await db.update(platformConnections).set({ health: "active", latencyMs: null }).where(eq(platformConnections.workspaceId, sam.workspaceId));
      // The store is shared with the other tests' run, whose items these are too.
      for (const rec of chosen) await restoreStoreValue(rec);
    }
  });
});

describe("reverting", () => {
  it("puts the value the agent saw back, once", async () => {
    const [rec] = await textRecs(1);
    await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    expect(await revertRecommendation(sam, executionId, rec!.id)).toEqual({ ok: true });
    expect(await storeValue(rec!)).toBe(rec!.beforeValue ?? "");
    const [after] = await recs(sql`${recommendations.id} = ${rec!.id}`);
    expect(after).toMatchObject({ status: "reverted", revertedBy: sam.userId });
    expect(await revertRecommendation(sam, executionId, rec!.id)).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/already reverted/) });
  });

  it("puts back a title another item shares: only applying keeps titles distinct", async () => {
    const [rec] = await recs(sql`${recommendations.status} = 'pending' and ${recommendations.field} = 'title'`);
    const applied = await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    expect(applied.ok && applied.outcomes[0]!.outcome).toBe("applied");
    const db = await getDb();
    const [other] = await db.select().from(storeProducts).where(and(eq(storeProducts.workspaceId, sam.workspaceId), sql`${storeProducts.id}::text <> ${rec!.itemRef}`)).limit(1);
    await db.update(storeProducts).set({ title: rec!.beforeValue! }).where(eq(storeProducts.id, other!.id));
    try {
      expect(await revertRecommendation(sam, executionId, rec!.id)).toEqual({ ok: true });
      expect(await storeValue(rec!)).toBe(rec!.beforeValue);
    } finally {
      await db.update(storeProducts).set({ title: other!.title }).where(eq(storeProducts.id, other!.id));
    }
  });

  it("refuses when the store value changed since it was applied", async () => {
    const [rec] = await textRecs(1);
    await applyRecommendations(sam, executionId, { ids: [rec!.id] });
    const db = await getDb();
    const table = rec!.itemType === "page" ? storePages : storeProducts;
    await db.update(table).set(rec!.field === "title" ? { title: "A later edit" } : { metaDescription: "A later edit" }).where(eq(table.id, rec!.itemRef));
    const refused = await revertRecommendation(sam, executionId, rec!.id);
    expect(refused).toMatchObject({ ok: false, code: "conflict", message: expect.stringMatching(/changed since this was applied/) });
    expect(await storeValue(rec!)).toBe("A later edit");
  });
});

describe("who may apply", () => {
  it("refuses a member who neither ran it nor holds an apply share; a view share is not enough, an apply share is", async () => {
    const [rec] = await textRecs(1);
    const ids = [rec!.id];
    expect(await applyRecommendations(lee, executionId, { ids })).toMatchObject({ ok: false, code: "not_found" });
    const db = await getDb();
    await db.insert(shares).values({ workspaceId: sam.workspaceId, executionId, kind: "member", granteeUserId: lee.userId, permission: "view", createdBy: sam.userId });
    expect(await applyRecommendations(lee, executionId, { ids })).toMatchObject({ ok: false, code: "forbidden", message: expect.stringMatching(/apply permission/) });
    await db.update(shares).set({ permission: "apply" }).where(and(eq(shares.executionId, executionId), eq(shares.granteeUserId, lee.userId)));
    const applied = await applyRecommendations(lee, executionId, { ids });
    expect(applied.ok && applied.outcomes[0]!.outcome).toBe("applied");
    expect(await applyRecommendations(admin, executionId, { ids })).toMatchObject({ ok: true });
  });

  it("answers another workspace and bad input with a sentence, changing nothing", async () => {
    const [rec] = await textRecs(1);
    expect(await applyRecommendations(globexAdmin, executionId, { ids: [rec!.id] })).toMatchObject({ ok: false, code: "not_found" });
    expect(await applyRecommendations(sam, executionId, { ids: ["nope"] })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await applyRecommendations(sam, executionId, { ids: [] })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await applyRecommendations(sam, executionId, { ids: [crypto.randomUUID()] })).toMatchObject({ ok: false, code: "not_found" });
    expect(await applyRecommendations(sam, "not-an-id", { ids: [rec!.id] })).toMatchObject({ ok: false, code: "not_found" });
    expect(await storeValue(rec!)).toBe(rec!.beforeValue);
  });
});
