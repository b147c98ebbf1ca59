import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { memberships, users, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";

/** Who a seeded person is in a seeded workspace, as domain functions expect it. */
export async function seededCtx(email: string, workspaceSlug = "acme"): Promise<Ctx> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: users.id, workspaceId: workspaces.id, role: memberships.role })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(and(eq(users.email, email), eq(workspaces.slug, workspaceSlug)));
  if (!row) throw new Error(`${email} is not a seeded member of ${workspaceSlug}`);
  return row;
}

/** The seeded people most tests act as: Acme's admin and three members, and Globex's admin. */
export async function seededPeople(): Promise<{ admin: Ctx; maya: Ctx; sam: Ctx; lee: Ctx; globexAdmin: Ctx }> {
  const [admin, maya, sam, lee, globexAdmin] = await Promise.all([
    seededCtx("admin@acme.test"), seededCtx("maya@acme.test"), seededCtx("sam@acme.test"), seededCtx("lee@acme.test"), seededCtx("admin@globex.test", "globex"),
  ]);
  return { admin, maya, sam, lee, globexAdmin };
}
