import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { workspaces } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";

/** How long the history keeps executions before they are archived (F16); admins decide. */
export type RetentionPeriods = { retentionSuccessDays: number; retentionFailureDays: number };

const days = (what: string) =>
  z.coerce
    .number({ error: `Enter how many days ${what} stay in the history.` })
    .int("Days must be a whole number.")
    .min(7, "Keep runs at least 7 days.")
    .max(3650, "Choose at most 3,650 days (ten years).");

const retentionPeriodsSchema = z.object({
  retentionSuccessDays: days("completed and partial runs"),
  retentionFailureDays: days("failed and canceled runs"),
});

export async function getRetentionPeriods(ctx: Ctx): Promise<RetentionPeriods> {
  const db = await getDb();
  const [row] = await db
    .select({ retentionSuccessDays: workspaces.retentionSuccessDays, retentionFailureDays: workspaces.retentionFailureDays })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId));
  return row ?? { retentionSuccessDays: 365, retentionFailureDays: 90 };
}

export async function saveRetentionPeriods(ctx: Ctx, raw: unknown): Promise<Outcome<{ periods: RetentionPeriods }>> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can change how long executions are kept.");
  const parsed = retentionPeriodsSchema.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]!.message);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(workspaces).set(parsed.data).where(eq(workspaces.id, ctx.workspaceId));
    await recordAudit(tx, ctx, { action: "settings.retention_changed", target: ctx.workspaceId, data: parsed.data });
  });
  return { ok: true, periods: parsed.data };
}
