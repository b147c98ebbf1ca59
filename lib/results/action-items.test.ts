import { and, asc, desc, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { actionItems, auditLog, executions, type ActionItem } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { setActionItemDone } from "./action-items";
import { getExecutionResults, type ActionItemRow } from "./queries";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, sam, globexAdmin } = await seededPeople()));

/** Open action items of completed runs `ctx` started, oldest run first. */
async function openItems(ctx: Ctx, limit: number): Promise<ActionItem[]> {
  const db = await getDb();
  const rows = await db
    .select({ item: actionItems })
    .from(actionItems)
    .innerJoin(executions, eq(executions.id, actionItems.executionId))
    .where(and(eq(executions.workspaceId, ctx.workspaceId), eq(executions.triggeredBy, ctx.userId), eq(executions.status, "completed"), isNull(executions.archivedAt), eq(actionItems.isDone, false)))
    .orderBy(asc(executions.createdAt), asc(actionItems.position))
    .limit(limit);
  expect(rows, "the seed has what this test needs").toHaveLength(limit);
  return rows.map((r) => r.item);
}

/** The item as the details page reads it afterwards. */
async function shownItem(ctx: Ctx, item: ActionItem): Promise<ActionItemRow | undefined> {
  const blocks = await getExecutionResults(ctx, item.executionId);
  const block = blocks?.find((b) => b.kind === "action_items");
  if (!block || !block.isReadable || block.kind !== "action_items") return undefined;
  return block.items.find((i) => i.id === item.id);
}

async function lastAudit(itemId: string) {
  const db = await getDb();
  const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.targetType, "action_item"), eq(auditLog.targetId, itemId))).orderBy(desc(auditLog.id)).limit(1);
  return entry;
}

describe("ticking action items", () => {
  it("saves done with who and when, and the page reads it back", async () => {
    const [item] = await openItems(maya, 1);
    const before = Date.now();
    const done = await setActionItemDone(maya, item!.id, true);
    expect(done).toMatchObject({ ok: true, executionId: item!.executionId, isDone: true, doneBy: maya.userId });
    if (!done.ok) return;
    expect(done.doneAt!.getTime()).toBeGreaterThanOrEqual(before - 5_000);

    const shown = await shownItem(maya, item!);
    expect(shown).toMatchObject({ isDone: true, doneByName: "Maya Marketer" });
    expect(shown!.doneAt?.getTime()).toBe(done.doneAt!.getTime());
    expect(await lastAudit(item!.id)).toMatchObject({ action: "action_item.done", actorUserId: maya.userId, workspaceId: maya.workspaceId });
  });

  it("opens an item again, clearing who and when, and audits who did it", async () => {
    const [item] = await openItems(maya, 1);
    await setActionItemDone(maya, item!.id, true);
    const undone = await setActionItemDone(admin, item!.id, false);
    expect(undone).toMatchObject({ ok: true, isDone: false, doneBy: null, doneAt: null });
    expect(await shownItem(maya, item!)).toMatchObject({ isDone: false, doneByName: null, doneAt: null });
    expect(await lastAudit(item!.id)).toMatchObject({ action: "action_item.reopened", actorUserId: admin.userId });
  });

  it("keeps who ticked it first when it is ticked again", async () => {
    const [item] = await openItems(admin, 1);
    const first = await setActionItemDone(admin, item!.id, true);
    const again = await setActionItemDone(admin, item!.id, true);
    expect(again).toEqual(first);
    const db = await getDb();
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.targetType, "action_item"), eq(auditLog.targetId, item!.id)));
    expect(entries).toHaveLength(1);
  });

  it("lets anyone who can see the run tick its items", async () => {
    const [item] = await openItems(maya, 1);
    expect(await setActionItemDone(admin, item!.id, true)).toMatchObject({ ok: true, doneBy: admin.userId });
    expect(await shownItem(maya, item!)).toMatchObject({ isDone: true, doneByName: "Avery Admin" });
  });

  it("answers an item of a run the person cannot see, or of another workspace, as one that does not exist", async () => {
    const [samsItem] = await openItems(sam, 1);
    const [foreignItem] = await openItems(globexAdmin, 1);
    const missing = await setActionItemDone(maya, "00000000-0000-4000-8000-000000000000", true);
    expect(missing).toMatchObject({ ok: false, code: "not_found" });
    expect(await setActionItemDone(maya, samsItem!.id, true)).toEqual(missing);
    expect(await setActionItemDone(admin, foreignItem!.id, true)).toEqual(await setActionItemDone(admin, "not-an-id", true));
    const db = await getDb();
    const rows = await db.select({ isDone: actionItems.isDone }).from(actionItems).where(eq(actionItems.id, samsItem!.id));
    expect(rows[0]!.isDone).toBe(false);
  });

  it("refuses a done flag that is not true or false", async () => {
    const [item] = await openItems(maya, 1);
    expect(await setActionItemDone(maya, item!.id, "yes")).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
