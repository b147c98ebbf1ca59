import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, users, type AuditEntry } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";

export type AuditRow = AuditEntry & { actorName: string | null };

/** The workspace's audit log, newest first. Admins only. */
export async function listAuditLog(ctx: Ctx, limit = 100): Promise<Outcome<{ rows: AuditRow[] }>> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can read the audit log.");
  const db = await getDb();
  const rows = await db
    .select({ entry: auditLog, actorName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(eq(auditLog.workspaceId, ctx.workspaceId))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  return { ok: true, rows: rows.map(({ entry, actorName }) => ({ ...entry, actorName })) };
}
