import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, executions, recommendations, shares, type Recommendation } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { maxGeneratedTextLength, saveEditedText } from "./generated";
import { getVisibleExecution } from "@/lib/executions/queries";
import { recommendationFilterSchema } from "./recommendation-filter";
import { listRecommendations } from "./recommendations";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, sam, globexAdmin } = await seededPeople()));

/** Pending generated descriptions of completed runs `ctx` started, oldest run first. */
async function pendingTexts(ctx: Ctx, limit: number): Promise<Recommendation[]> {
  const db = await getDb();
  const rows = await db
    .select({ rec: recommendations })
    .from(recommendations)
    .innerJoin(executions, eq(executions.id, recommendations.executionId))
    .where(and(
      eq(executions.workspaceId, ctx.workspaceId), eq(executions.triggeredBy, ctx.userId), eq(executions.status, "completed"), isNull(executions.archivedAt),
      eq(recommendations.origin, "generated"), eq(recommendations.status, "pending"),
    ))
    .orderBy(asc(executions.createdAt), asc(recommendations.id))
    .limit(limit);
  expect(rows, "the seed has what this test needs").toHaveLength(limit);
  return rows.map((r) => r.rec);
}

/** The text as the details page's list reads it afterwards. */
async function shownText(ctx: Ctx, rec: Recommendation): Promise<Recommendation | undefined> {
  const execution = await getVisibleExecution(ctx, rec.executionId);
  if (!execution) return undefined;
  const page = await listRecommendations(execution, recommendationFilterSchema.parse({ q: rec.itemLabel }));
  return page.rows.find((t) => t.id === rec.id);
}

async function storedEdit(id: string): Promise<string | null> {
  const db = await getDb();
  const [row] = await db.select({ editedValue: recommendations.editedValue }).from(recommendations).where(eq(recommendations.id, id));
  return row!.editedValue;
}

describe("editing generated content", () => {
  it("saves the edit, which a later read returns, and audits it", async () => {
    const [rec] = await pendingTexts(maya, 1);
    const text = "Hand-stitched leather boots that keep your feet dry on wet trails. Resoleable, and built to last for years.";
    const saved = await saveEditedText(maya, rec!.id, `  ${text}\n`);
    expect(saved).toEqual({ ok: true, executionId: rec!.executionId, text });

    const shown = await shownText(maya, rec!);
    expect(shown?.editedValue).toBe(text);
    expect(shown?.afterValue).toBe(rec!.afterValue);

    const db = await getDb();
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.action, "recommendation.edited"), eq(auditLog.targetId, rec!.id))).orderBy(desc(auditLog.id));
    expect(entry).toMatchObject({ workspaceId: maya.workspaceId, actorUserId: maya.userId, targetType: "recommendation" });
    expect(entry!.data).toMatchObject({ executionId: rec!.executionId, before: rec!.afterValue, after: text });
  });

  it("lets an admin edit a run someone else started, and a second edit replaces the first", async () => {
    const [rec] = await pendingTexts(maya, 1);
    expect((await saveEditedText(admin, rec!.id, "First rewrite.")).ok).toBe(true);
    expect((await saveEditedText(admin, rec!.id, "Second rewrite.")).ok).toBe(true);
    expect((await shownText(admin, rec!))?.editedValue).toBe("Second rewrite.");
  });

  it("keeps no edit when the text is put back exactly as generated", async () => {
    const [rec] = await pendingTexts(admin, 1);
    await saveEditedText(admin, rec!.id, "Something else entirely.");
    expect(await saveEditedText(admin, rec!.id, rec!.afterValue)).toMatchObject({ ok: true, text: rec!.afterValue });
    expect(await storedEdit(rec!.id)).toBeNull();
  });

  it("refuses a member who can see the run but did not start it", async () => {
    const [rec] = await pendingTexts(admin, 1);
    const db = await getDb();
    await db.insert(shares).values({ workspaceId: admin.workspaceId, executionId: rec!.executionId, kind: "member", granteeUserId: sam.userId, permission: "view", createdBy: admin.userId });
    expect(await shownText(sam, rec!), "sam sees the text through the share").toBeDefined();

    const refused = await saveEditedText(sam, rec!.id, "Sam's version.");
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    expect(await storedEdit(rec!.id)).toBeNull();
  });

  it("refuses to edit a text that is already applied", async () => {
    const [rec] = await pendingTexts(admin, 1);
    const db = await getDb();
    await db.update(recommendations).set({ status: "applied", appliedBy: admin.userId, appliedAt: new Date() }).where(eq(recommendations.id, rec!.id));

    const refused = await saveEditedText(admin, rec!.id, "Too late for this.");
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    expect(await storedEdit(rec!.id)).toBeNull();
  });

  it("refuses empty and oversized text with a sentence, saving nothing", async () => {
    const [rec] = await pendingTexts(admin, 1);
    for (const text of ["", "   \n ", "x".repeat(maxGeneratedTextLength + 1), null, 42]) {
      const refused = await saveEditedText(admin, rec!.id, text);
      expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
      if (!refused.ok) expect(refused.message).toMatch(/\w+ .*\./);
    }
    expect(await storedEdit(rec!.id)).toBeNull();
    expect((await saveEditedText(admin, rec!.id, "x".repeat(maxGeneratedTextLength))).ok).toBe(true);
  });

  it("answers a foreign workspace's text exactly as one that does not exist", async () => {
    const [foreign] = await pendingTexts(globexAdmin, 1);
    const foreignAnswer = await saveEditedText(admin, foreign!.id, "Not yours.");
    const missingAnswer = await saveEditedText(admin, "00000000-0000-4000-8000-000000000000", "Not yours.");
    expect(foreignAnswer).toMatchObject({ ok: false, code: "not_found" });
    expect(foreignAnswer).toEqual(missingAnswer);
    expect(await saveEditedText(admin, "not-an-id", "Not yours.")).toEqual(missingAnswer);
    expect(await storedEdit(foreign!.id)).toBeNull();
  });

  it("answers a run the member cannot see exactly as one that does not exist", async () => {
    const [others] = await pendingTexts(sam, 1);
    const missingAnswer = await saveEditedText(maya, "00000000-0000-4000-8000-000000000000", "Hidden.");
    expect(await saveEditedText(maya, others!.id, "Hidden.")).toEqual(missingAnswer);
  });
});
