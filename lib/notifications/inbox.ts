/** The in-app notification centre: a person's notices in the current workspace. */
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";

export type InboxEntry = Pick<Notification, "id" | "kind" | "title" | "body" | "href" | "executionId" | "createdAt"> & { isRead: boolean };

function mine(ctx: Ctx) {
  return and(eq(notifications.userId, ctx.userId), eq(notifications.workspaceId, ctx.workspaceId))!;
}

export async function listNotifications(ctx: Ctx, limit = 50): Promise<InboxEntry[]> {
  if (ctx.linkShare) return [];
  const db = await getDb();
  const rows = await db
    .select({
      id: notifications.id, kind: notifications.kind, title: notifications.title, body: notifications.body, href: notifications.href,
      executionId: notifications.executionId, createdAt: notifications.createdAt, readAt: notifications.readAt,
    })
    .from(notifications)
    .where(mine(ctx))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  return rows.map(({ readAt, ...row }) => ({ ...row, isRead: readAt !== null }));
}

/** Unread notices, counted up to 100 ("99+" is what a bell shows past that). */
export async function countUnreadNotifications(ctx: Ctx): Promise<number> {
  if (ctx.linkShare) return 0;
  const db = await getDb();
  const unread = db.select({ id: notifications.id }).from(notifications).where(and(mine(ctx), isNull(notifications.readAt))).limit(100).as("unread");
  const [row] = await db.select({ n: count() }).from(unread);
  return row?.n ?? 0;
}

/** Marks one of this person's notices read; another person's id answers not found. */
export async function markNotificationRead(ctx: Ctx, id: unknown): Promise<Outcome> {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) return failure("not_found", "Notification not found.");
  const db = await getDb();
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, parsed.data), mine(ctx)))
    .returning({ id: notifications.id });
  return row ? { ok: true } : failure("not_found", "Notification not found.");
}

export async function markAllNotificationsRead(ctx: Ctx): Promise<Outcome<{ marked: number }>> {
  const db = await getDb();
  const rows = await db.update(notifications).set({ readAt: sql`now()` }).where(and(mine(ctx), isNull(notifications.readAt))).returning({ id: notifications.id });
  return { ok: true, marked: rows.length };
}

/** GET /api/notifications's query: how many of the newest notices to answer. */
export const inboxQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(8) });

/** What the bell shows: the unread count and the newest few notices. */
export async function getInboxSummary(ctx: Ctx, limit = 8): Promise<{ unread: number; latest: InboxEntry[] }> {
  const [unread, latest] = [await countUnreadNotifications(ctx), await listNotifications(ctx, limit)];
  return { unread, latest };
}
