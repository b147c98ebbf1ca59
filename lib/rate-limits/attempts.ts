import { and, count, eq, gt, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rateLimitHits } from "@/db/schema";

/**
 * Counts failed attempts per key in the database, so every instance of the stateless
 * web tier sees the same count.
 */
export type AttemptWindow = { limit: number; windowMs: number };

async function hitsWithin(key: string, window: AttemptWindow, now: Date): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ hits: count() })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.at, new Date(now.getTime() - window.windowMs))));
  return row?.hits ?? 0;
}

export type CountedAttempt = { hits: number; hitId: number };

/**
 * Counts a try before it is checked, and answers how many tries the window now holds, this one
 * included (and the hit's id, for `uncountAttempt` when the try turns out right). Tries sent at
 * once each see the others counted, so however many arrive together, only the first `limit` get
 * checked (counting a failure after checking let a burst through).
 */
export async function countAttempt(key: string, window: AttemptWindow, now = new Date()): Promise<CountedAttempt> {
  const hitId = await recordFailedAttempt(key, now);
  return { hits: await hitsWithin(key, window, now), hitId };
}

/** Takes back one counted try: it was right after all. */
export async function uncountAttempt(hitId: number): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimitHits).where(eq(rateLimitHits.id, hitId));
}

async function recordFailedAttempt(key: string, now = new Date()): Promise<number> {
  const db = await getDb();
  const [hit] = await db.insert(rateLimitHits).values({ key, at: now }).returning({ id: rateLimitHits.id });
  // Old hits count for nothing; drop them now and then so the table stays small.
  if (Math.random() < 0.02) {
    await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 24 * 3600_000)));
  }
  return hit!.id;
}

export async function clearAttempts(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimitHits).where(eq(rateLimitHits.key, key));
}
