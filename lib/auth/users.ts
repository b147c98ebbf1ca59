import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";

/** The Runlog account an OAuth sign-in with this email belongs to, if any. */
export async function findUserIdByEmail(email: string): Promise<{ id: string } | undefined> {
  const db = await getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}
