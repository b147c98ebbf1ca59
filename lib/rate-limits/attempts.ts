import { and, count, eq, gt, lt } from "drizzle-orm";
import { getDb } from "@/db/client";
import { rateLimitHits } from "@/db/schema";

/**
 * Counts failed attempts per key in the database, so every instance of the stateless
 * web tier sees the same count.
 */
export type AttemptWindow = { limit: number; windowMs: number };

export async function isOverLimit(key: string, window: AttemptWindow, now = new Date()): Promise<boolean> {
  return (await hitsWithin(key, window, now)) >= window.limit;
}

async function hitsWithin(key: string, window: AttemptWindow, now: Date): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ hits: count() })
    .from(rateLimitHits)
    .where(and(eq(rateLimitHits.key, key), gt(rateLimitHits.at, new Date(now.getTime() - window.windowMs))));
  return row?.hits ?? 0;
}

/**
 * Counts a try before it is checked, and answers how many tries the window now holds, this one
 * included. Tries sent at once each see the others counted, so however many arrive together,
 * only the first `limit` get checked (counting a failure after checking let a burst through).
 */
export async function countAttempt(key: string, window: AttemptWindow, now = new Date()): Promise<number> {
  await recordFailedAttempt(key, now);
  return hitsWithin(key, window, now);
}

export async function recordFailedAttempt(key: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db.insert(rateLimitHits).values({ key, at: now });
  // Old hits count for nothing; drop them now and then so the table stays small.
  if (Math.random() < 0.02) {
    await db.delete(rateLimitHits).where(lt(rateLimitHits.at, new Date(now.getTime() - 24 * 3600_000)));
  }
}

export async function clearAttempts(key: string): Promise<void> {
  const db = await getDb();
  await db.delete(rateLimitHits).where(eq(rateLimitHits.key, key));
}
