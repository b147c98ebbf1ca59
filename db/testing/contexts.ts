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
