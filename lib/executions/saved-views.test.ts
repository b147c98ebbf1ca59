import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { savedViews } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { parseListRequest } from "./list-filter";
import { deleteView, listSavedViews, pastExecutionsHref, renameView, saveView, setDefaultView, viewHref } from "./saved-views";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, sam, globexAdmin } = await seededPeople()));

describe("saved views", () => {
  it("round-trips the page's filters and search as its own query string, without page positions", async () => {
    const query = "?agent=seo-audit&status=failed&status=partial&range=30d&q=caf%C3%A9%20%E6%9D%B1%E4%BA%AC&sort=credits&after=abc";
    const saved = await saveView(maya, { name: "  Failed SEO audits ", query, isShared: false });
    if (!saved.ok) throw new Error(saved.message);
    expect(saved.view.name).toBe("Failed SEO audits");
    const [listed] = (await listSavedViews(maya)).filter((v) => v.id === saved.view.id);
    const reopened = parseListRequest(new URL(`http://x${viewHref(listed!)}`).searchParams);
    if (!reopened.ok) throw new Error(reopened.message);
    expect(reopened.filter).toMatchObject({ agents: ["seo-audit"], statuses: ["failed", "partial"], range: "30d", q: "café 東京", sort: { by: "credits", direction: "desc" } });
    expect(reopened.page).toEqual({ after: null, before: null });
  });

  it("keeps private views to their owner and shows shared ones to the workspace only", async () => {
    const mine = await saveView(maya, { name: "Maya's private", query: "?status=failed" });
    const shared = await saveView(maya, { name: "Team failures", query: "?outcome=failure", isShared: true });
    if (!mine.ok || !shared.ok) throw new Error("not saved");
    const samSees = (await listSavedViews(sam)).map((v) => v.name);
    expect(samSees).toContain("Team failures");
    expect(samSees).not.toContain("Maya's private");
    expect((await listSavedViews(globexAdmin)).map((v) => v.name)).not.toContain("Team failures");
    expect(await renameView(sam, { id: shared.view.id, name: "Mine now" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await deleteView(sam, shared.view.id)).toMatchObject({ ok: false });
    expect(await deleteView(admin, mine.view.id)).toMatchObject({ ok: false });
    expect(await deleteView(globexAdmin, shared.view.id)).toMatchObject({ ok: false });
  });

  it("renames, refuses a duplicate name with a sentence, makes one the default and deletes", async () => {
    const a = await saveView(sam, { name: "Slow runs", query: "?sort=duration" });
    const b = await saveView(sam, { name: "Expensive runs", query: "?sort=credits", isDefault: true });
    if (!a.ok || !b.ok) throw new Error("not saved");
    expect(await saveView(sam, { name: "Slow runs", query: "" })).toMatchObject({ ok: false, code: "conflict", message: "You already have a view named “Slow runs”; choose another name." });
    expect(await renameView(sam, { id: a.view.id, name: "Expensive runs" })).toMatchObject({ ok: false, code: "conflict" });
    expect(await renameView(sam, { id: a.view.id, name: "Slowest runs" })).toEqual({ ok: true });
    let views = await listSavedViews(sam);
    expect(pastExecutionsHref(views)).toBe(`/executions?sort=credits&view=${b.view.id}`);
    expect(await setDefaultView(sam, { id: a.view.id })).toEqual({ ok: true });
    views = await listSavedViews(sam);
    expect(views.filter((v) => v.isDefault).map((v) => v.name)).toEqual(["Slowest runs"]);
    expect(await deleteView(sam, a.view.id)).toEqual({ ok: true });
    expect(pastExecutionsHref(await listSavedViews(sam))).toBe("/executions");
    expect(await setDefaultView(sam, { id: null })).toEqual({ ok: true });
  });

  it("saves one view for a form's try sent twice, one after the other or at once, and answers it instead of 'you already have a view named'; another person's same id saves their own", async () => {
    const db = await getDb();
    const named = async (name: string) => db.select({ id: savedViews.id, ownerUserId: savedViews.ownerUserId }).from(savedViews).where(and(eq(savedViews.workspaceId, maya.workspaceId), eq(savedViews.name, name)));
    const input = { name: `Sent twice ${randomUUID().slice(0, 8)}`, query: "?status=failed", isShared: false, submissionId: randomUUID() };

    const first = await saveView(maya, input);
    if (!first.ok) throw new Error(first.message);
    expect(await saveView(maya, input)).toEqual({ ok: true, view: first.view, isRepeat: true });
    expect(await named(input.name)).toEqual([{ id: first.view.id, ownerUserId: maya.userId }]);

    const atOnce = { ...input, name: `Sent at once ${randomUUID().slice(0, 8)}`, submissionId: randomUUID() };
    const both = await Promise.all([saveView(maya, atOnce), saveView(maya, atOnce)]);
    expect(both.map((answer) => answer.ok && answer.isRepeat).sort()).toEqual([false, true]);
    const made = await named(atOnce.name);
    expect(both.map((answer) => answer.ok && answer.view.id)).toEqual([made[0]!.id, made[0]!.id]);

    // The same id from another person is theirs alone; without an id, the name is refused as before.
    expect(await saveView(sam, atOnce)).toMatchObject({ ok: true, isRepeat: false });
    expect((await named(atOnce.name)).map((view) => view.ownerUserId).sort()).toEqual([maya.userId, sam.userId].sort());
    const unkeyed = { ...atOnce, submissionId: undefined };
    expect(await saveView(maya, unkeyed)).toMatchObject({ ok: false, code: "conflict" });
  });

  it("refuses bad input with a clear sentence", async () => {
    expect(await saveView(sam, { name: "", query: "" })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("Give the view a name") });
    expect(await saveView(sam, { name: "Broken", query: "?status=exploded" })).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("Unknown status") });
    expect(await deleteView(sam, "not-a-uuid")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await setDefaultView(sam, { id: "00000000-0000-4000-8000-000000000000" })).toMatchObject({ ok: false, code: "not_found" });
  });
});
