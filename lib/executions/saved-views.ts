/**
 * Saved views of Past executions (F19): a name for the page's filters and search, kept as the
 * page's own query string, private or shared with the workspace, listed in the sidebar; one
 * can be what Past executions opens with for a person.
 */
import { and, asc, eq, or } from "drizzle-orm";
import { cache } from "react";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { isUniqueViolation } from "@/db/constraint-errors";
import { savedViewDefaults, savedViews, users } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { createOnce, removedSince } from "@/lib/submissions/create-once";
import { listQueryString, parseListRequest } from "./list-filter";

export type ViewListing = { id: string; name: string; query: string; isShared: boolean; isOwn: boolean; isDefault: boolean; ownerName: string | null };

const name = z.string().trim().min(1, "Give the view a name.").max(60, "A view's name has at most 60 characters.");
const viewId = z.uuid({ error: "That view does not exist." });
const saveSchema = z.object({ name, query: z.string().max(4000, "That view's filters are too long to save."), isShared: z.boolean().default(false), isDefault: z.boolean().default(false) });
const renameSchema = z.object({ id: viewId, name });
const defaultSchema = z.object({ id: viewId.nullable() });

/**
 * The views this person can open: their own and those shared in the workspace, by name. Read
 * once per request (React's `cache`): the sidebar and Past executions share the answer.
 */
export const listSavedViews = cache(readSavedViews);

async function readSavedViews(ctx: Ctx): Promise<ViewListing[]> {
  const db = await getDb();
  const rows = await db
    .select({ view: savedViews, ownerName: users.name, defaultId: savedViewDefaults.viewId })
    .from(savedViews)
    .leftJoin(users, eq(users.id, savedViews.ownerUserId))
    .leftJoin(savedViewDefaults, and(eq(savedViewDefaults.workspaceId, ctx.workspaceId), eq(savedViewDefaults.userId, ctx.userId), eq(savedViewDefaults.viewId, savedViews.id)))
    .where(and(eq(savedViews.workspaceId, ctx.workspaceId), or(eq(savedViews.ownerUserId, ctx.userId), eq(savedViews.isShared, true))))
    .orderBy(asc(savedViews.name), asc(savedViews.id));
  return rows.map(({ view, ownerName, defaultId }) => ({
    id: view.id, name: view.name, query: view.query, isShared: view.isShared, isOwn: view.ownerUserId === ctx.userId, isDefault: defaultId !== null, ownerName,
  }));
}

/** Where Past executions opens for this person: their default view's link, or the plain list. */
export function pastExecutionsHref(views: ViewListing[]): string {
  const view = views.find((v) => v.isDefault);
  return view ? viewHref(view) : "/executions";
}

/** A view's link: its query string, and which view it is (so the page can name it). */
export function viewHref(view: Pick<ViewListing, "id" | "query">): string {
  return `/executions${view.query ? `${view.query}&` : "?"}view=${view.id}`;
}

type SavedViewAnswer = { view: ViewListing; isRepeat: boolean };

/**
 * Saves the filters and search of `query` (the page's query string; page positions are dropped)
 * under a name. A form's try sent again answers the view its first try saved (not "you already
 * have a view named …").
 */
export async function saveView(ctx: Ctx, raw: unknown): Promise<Outcome<SavedViewAnswer>> {
  return createOnce<SavedViewAnswer>(ctx, "saved_view", raw, {
    create: async (claim) => {
      const parsed = saveSchema.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
      // A view keeps filters, not a position in them.
      const params = new URLSearchParams(parsed.data.query);
      for (const key of ["after", "before", "view"]) params.delete(key);
      const request = parseListRequest(params);
      if (!request.ok) return failure("invalid_input", `These filters cannot be saved: ${request.message}`);
      const query = listQueryString(request.filter);
      const db = await getDb();
      try {
        const view = await db.transaction(async (tx) => {
          const [row] = await tx.insert(savedViews).values({ id: await claim(tx), workspaceId: ctx.workspaceId, ownerUserId: ctx.userId, name: parsed.data.name, query, isShared: parsed.data.isShared }).returning();
          if (parsed.data.isDefault) await setDefault(tx, ctx, row!.id);
          return row!;
        });
        return { ok: true, view: { id: view.id, name: view.name, query, isShared: view.isShared, isOwn: true, isDefault: parsed.data.isDefault, ownerName: null }, isRepeat: false };
      } catch (error) {
        if (isUniqueViolation(error, "saved_views_owner_name_key")) return failure("conflict", `You already have a view named “${parsed.data.name}”; choose another name.`);
        throw error;
      }
    },
    repeat: async (createdId) => {
      const view = (await readSavedViews(ctx)).find((v) => v.id === createdId && v.isOwn);
      return view ? { ok: true, view: { ...view, ownerName: null }, isRepeat: true } : removedSince("view");
    },
  });
}

export async function renameView(ctx: Ctx, raw: unknown): Promise<Outcome> {
  const parsed = renameSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const db = await getDb();
  try {
    const renamed = await db
      .update(savedViews)
      .set({ name: parsed.data.name, updatedAt: new Date() })
      .where(and(eq(savedViews.id, parsed.data.id), eq(savedViews.workspaceId, ctx.workspaceId), eq(savedViews.ownerUserId, ctx.userId)))
      .returning({ id: savedViews.id });
    return renamed.length ? { ok: true } : failure("not_found", "Only the person who saved a view can rename it.");
  } catch (error) {
    if (isUniqueViolation(error, "saved_views_owner_name_key")) return failure("conflict", `You already have a view named “${parsed.data.name}”; choose another name.`);
    throw error;
  }
}

/** Deletes a view: its owner's, or a shared one by an admin. Whoever had it as default opens the plain list again. */
export async function deleteView(ctx: Ctx, rawId: unknown): Promise<Outcome> {
  const parsed = viewId.safeParse(rawId);
  if (!parsed.success) return failure("invalid_input", "That view does not exist.");
  const mayDelete = isAdmin(ctx) ? or(eq(savedViews.ownerUserId, ctx.userId), eq(savedViews.isShared, true)) : eq(savedViews.ownerUserId, ctx.userId);
  const db = await getDb();
  const deleted = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, parsed.data), eq(savedViews.workspaceId, ctx.workspaceId), mayDelete))
    .returning({ id: savedViews.id });
  return deleted.length ? { ok: true } : failure("not_found", "Only the person who saved a view (or an admin, for a shared one) can delete it.");
}

/** Makes a view this person can open their default (null: none). */
export async function setDefaultView(ctx: Ctx, raw: unknown): Promise<Outcome> {
  const parsed = defaultSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (parsed.data.id === null) {
      await tx.delete(savedViewDefaults).where(and(eq(savedViewDefaults.workspaceId, ctx.workspaceId), eq(savedViewDefaults.userId, ctx.userId)));
      return { ok: true };
    }
    const [view] = await tx
      .select({ id: savedViews.id })
      .from(savedViews)
      .where(and(eq(savedViews.id, parsed.data.id), eq(savedViews.workspaceId, ctx.workspaceId), or(eq(savedViews.ownerUserId, ctx.userId), eq(savedViews.isShared, true))));
    if (!view) return failure("not_found", "That view does not exist.");
    await setDefault(tx, ctx, view.id);
    return { ok: true };
  });
}

async function setDefault(tx: Tx, ctx: Ctx, id: string): Promise<void> {
  await tx
    .insert(savedViewDefaults)
    .values({ workspaceId: ctx.workspaceId, userId: ctx.userId, viewId: id })
    .onConflictDoUpdate({ target: [savedViewDefaults.workspaceId, savedViewDefaults.userId], set: { viewId: id } });
}
