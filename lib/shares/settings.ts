import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { workspaces } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";

/** Whether share links open for people outside the workspace (admins decide). */
export async function getExternalLinksAllowed(ctx: Ctx): Promise<boolean> {
  const db = await getDb();
  const [workspace] = await db.select({ allowExternalLinks: workspaces.allowExternalLinks }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return workspace?.allowExternalLinks ?? true;
}

export async function setExternalLinksAllowed(ctx: Ctx, raw: unknown): Promise<Outcome> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can change how links are shared.");
  const allowed = z.boolean({ error: "Choose on or off." }).safeParse(raw);
  if (!allowed.success) return failure("invalid_input", allowed.error.issues[0]!.message);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(workspaces).set({ allowExternalLinks: allowed.data }).where(eq(workspaces.id, ctx.workspaceId));
    await recordAudit(tx, ctx, { action: "settings.links_changed", target: ctx.workspaceId, data: { allowExternalLinks: allowed.data } });
  });
  return { ok: true };
}
