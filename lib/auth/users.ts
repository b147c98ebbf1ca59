import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { memberships, users, type MemberRole } from "@/db/schema";
import type { Ctx } from "./context";

/** The Runlog account an OAuth sign-in with this email belongs to, if any, and its current session version. */
export async function findUserIdByEmail(email: string): Promise<{ id: string; sessionVersion: number } | undefined> {
  const db = await getDb();
  const [user] = await db.select({ id: users.id, sessionVersion: users.sessionVersion }).from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user;
}

export type WorkspaceMember = { userId: string; name: string; email: string; role: MemberRole };

/** Everyone in the person's workspace, by name (pickers and filters). */
export async function listWorkspaceMembers(ctx: Ctx): Promise<WorkspaceMember[]> {
  const db = await getDb();
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, ctx.workspaceId))
    .orderBy(asc(users.name));
}
