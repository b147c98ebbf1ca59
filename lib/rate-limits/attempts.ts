import { and, eq, gt, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rateLimitHits } from "@/db/schema";

/**
 * Counts failed attempts per key in the database, so every instance of the stateless
 * web tier sees the same count.
 */
export type AttemptWindow = { limit: number; windowMs: number };

/**
 * A try still being checked after this long counts as a failure: its process died mid-check.
 * Checking a password takes a fraction of a second.
 */
const checkOutlivedMs = 30_000;
/** How long a try waits for the ones ahead of it to be checked before it gives up. */
const waitForAheadMs = 20_000;

export type CountedAttempt = { hitId: number } & (
  | { isAdmitted: true; /** this try's place in the window: failures before it, tries ahead of it, and itself */ tries: number }
  | { isAdmitted: false; reason: "too_many" | "busy" }
);

/**
 * Counts a try before it is checked. It is admitted only while the failures in the window and
 * the tries ahead of it still being checked stay under the limit: however many arrive at once,
 * no more than `limit` wrong ones get checked. A try over the limit only because tries ahead of
 * it are still being checked waits for them — right passwords are taken back by
 * `uncountAttempt`, so fifty people behind one address who all sign in at once each get in.
 * Settle every admitted try with `countAttemptAsFailed` or `uncountAttempt`.
 */
export async function countAttempt(key: string, window: AttemptWindow, now = new Date()): Promise<CountedAttempt> {
  const db = await getDb();
  const [hit] = await db.insert(rateLimitHits).values({ key, at: now, isBeingChecked: true }).returning({ id: rateLimitHits.id });
  const hitId = hit!.id;
  await dropOldHitsNowAndThen(now);
  const waitUntil = Date.now() + waitForAheadMs;
  for (;;) {
    const { failed, ahead } = await triesBefore(key, hitId, window, now);
    if (failed >= window.limit) return { hitId, isAdmitted: false, reason: "too_many" };
    if (failed + ahead < window.limit) return { hitId, isAdmitted: true, tries: failed + ahead + 1 };
    if (Date.now() > waitUntil) return { hitId, isAdmitted: false, reason: "busy" };
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
  }
}

/** Failures in the window (the key's settled hits and those whose check outlived its time), and tries ahead of `hitId` still being checked. */
async function triesBefore(key: string, hitId: number, window: AttemptWindow, now: Date): Promise<{ failed: number; ahead: number }> {
  const db = await getDb();
  const isStillChecked = sql`${rateLimitHits.isBeingChecked} and ${rateLimitHits.at} > ${new Date(Date.now() - checkOutlivedMs).toISOString()}::timestamptz`;
  const [row] = await db
    .select({
      failed: sql<number>`count(*) filter (where ${rateLimitHits.id} <> ${hitId} and not (${isStillChecked}))::int`,
      ahead: sql<number>`count(*) filter (where ${rateLimitHits.id} < ${hitId} and ${isStillChecked})::int`,
    })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.at, new Date(now.getTime() - window.windowMs))));
  return { failed: row?.failed ?? 0, ahead: row?.ahead ?? 0 };
}

/** The try was wrong (or refused): it counts for the rest of its window. */
export async function countAttemptAsFailed(hitId: number): Promise<void> {
  const db = await getDb();
  await db.update(rateLimitHits).set({ isBeingChecked: false }).where(eq(rateLimitHits.id, hitId));
}

/** Takes back one counted try: it was right after all. */
export async function uncountAttempt(hitId: number): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimitHits).where(eq(rateLimitHits.id, hitId));
}

/** Forgets a key's failures (a right password); tries of others still being checked keep their count. */
export async function clearAttempts(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimitHits).where(and(eq(rateLimitHits.key, key), eq(rateLimitHits.isBeingChecked, false)));
}

/** Old hits count for nothing; drop them now and then so the table stays small. */
async function dropOldHitsNowAndThen(now: Date): Promise<void> {
  if (Math.random() >= 0.02) return;
  const db = await getDb();
  await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 24 * 3600_000)));
}
