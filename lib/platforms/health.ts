import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { platformConnections } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";

const connectionHealthInput = z
  .object({
    health: z.enum(["active", "lost", "rate_limited", "slow"], { error: "Choose active, lost, rate limited or slow." }),
    rateLimitPerSecond: z.coerce.number().int().min(0).max(1000).optional(),
    latencyMs: z.coerce.number().int().min(0).max(60_000).optional(),
  })
  .refine((v) => v.health !== "rate_limited" || v.rateLimitPerSecond !== undefined, { message: "Say how many calls per second the platform allows.", path: ["rateLimitPerSecond"] })
  .refine((v) => v.health !== "slow" || v.latencyMs !== undefined, { message: "Say how slow each call is, in milliseconds.", path: ["latencyMs"] });

/**
 * Admins set the demo connection's health to reproduce real failures: a lost connection,
 * a rate limit of N calls per second, or added latency per call.
 */
export async function setConnectionHealth(ctx: Ctx, raw: unknown): Promise<Outcome> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can change the store connection.");
  const parsed = connectionHealthInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const { health, rateLimitPerSecond, latencyMs } = parsed.data;
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [connection] = await tx
      .update(platformConnections)
      .set({ health, rateLimitPerSecond: health === "rate_limited" ? rateLimitPerSecond! : null, latencyMs: health === "slow" ? latencyMs! : null, healthChangedAt: sql`now()` })
      .where(and(eq(platformConnections.workspaceId, ctx.workspaceId), eq(platformConnections.kind, "demo")))
      .returning({ id: platformConnections.id });
    if (connection) {
      await recordAudit(tx, ctx, { action: "connection.health_changed", target: connection.id, data: parsed.data });
    }
  });
  return { ok: true };
}
