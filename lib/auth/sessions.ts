import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";

/**
 * Ends every session of a person at once, wherever they signed in: each session cookie carries
 * the session version it began under, and the session context (lib/auth/session.ts) reads the
 * current one from the database on every request, so a raised version signs them all out.
 * Signing out calls it; so must whatever changes a password or removes a membership.
 */
export async function endAllSessions(userId: string, tx?: Tx): Promise<void> {
  const db = tx ?? (await getDb());
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}
