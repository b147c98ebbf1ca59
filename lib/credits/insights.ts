import { and, asc, eq, gte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { usageDaily, users } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { noMember } from "./usage";

/**
 * Where a workspace's credits go (F13), from the daily rollup: usage over time by agent,
 * per member, and what each agent's credits bought — its recommendations' apply rate and
 * credits per applied change. Members see their own usage; admins the workspace's.
 */

export const insightPeriods = [30, 90, 365] as const;
export type InsightPeriod = (typeof insightPeriods)[number];

export const periodSchema = z.coerce
  .number()
  .refine((n): n is InsightPeriod => (insightPeriods as readonly number[]).includes(n), "Choose a period of 30, 90 or 365 days.")
  .catch(90);

export type DailyUsage = { day: string; agentId: string; credits: number; runs: number };
export type MemberUsage = { userId: string; name: string; runs: number; credits: number; recommendations: number; applied: number };
export type ValueLabel = "high" | "low" | "moderate" | "unrated";
export type AgentValue = {
  agentId: string;
  runs: number;
  runsPerWeek: number;
  credits: number;
  itemsInScope: number;
  creditsPerItem: number | null;
  recommendations: number;
  applied: number;
  applyRate: number | null;
  creditsPerApplied: number | null;
  label: ValueLabel;
};

/** How an agent's value is judged, in words the page shows beside the labels. */
export const valueRule = {
  highApplyRate: 0.25,
  lowApplyRate: 0.1,
  minRecommendations: 20,
  text: "High value: at least 25 % of its recommendations were applied. Low value: under 10 % applied, out of 20 or more. Agents with fewer than 20 recommendations in the period (or none, like the analytics review) are not rated.",
} as const;

export function labelValue(recommendations: number, applied: number): ValueLabel {
  if (recommendations < valueRule.minRecommendations) return "unrated";
  const rate = applied / recommendations;
  if (rate >= valueRule.highApplyRate) return "high";
  if (rate < valueRule.lowApplyRate) return "low";
  return "moderate";
}

/** The rollup rows this person may count, over the last `days` UTC days (today included). */
function scope(ctx: Ctx, days: InsightPeriod): SQL {
  return and(
    eq(usageDaily.workspaceId, ctx.workspaceId),
    gte(usageDaily.day, sql`(now() at time zone 'UTC')::date - ${days - 1}::int`),
    isAdmin(ctx) ? undefined : eq(usageDaily.userId, ctx.userId),
  )!;
}

/** Credits used and runs per day and agent, oldest day first. */
export async function usageByDay(ctx: Ctx, days: InsightPeriod): Promise<DailyUsage[]> {
  const db = await getDb();
  const rows = await db
    .select({ day: usageDaily.day, agentId: usageDaily.agentId, credits: sql<number>`sum(${usageDaily.creditsUsed})::int`, runs: sql<number>`sum(${usageDaily.runs})::int` })
    .from(usageDaily)
    .where(scope(ctx, days))
    .groupBy(usageDaily.day, usageDaily.agentId)
    .orderBy(asc(usageDaily.day), asc(usageDaily.agentId));
  return rows;
}

/** Admins: each member's runs, credits and applies in the period, biggest spender first. */
export async function usageByMember(ctx: Ctx, days: InsightPeriod): Promise<MemberUsage[] | null> {
  if (!isAdmin(ctx)) return null;
  const db = await getDb();
  const rows = await db
    .select({
      userId: usageDaily.userId, name: users.name,
      runs: sql<number>`sum(${usageDaily.runs})::int`, credits: sql<number>`sum(${usageDaily.creditsUsed})::int`,
      recommendations: sql<number>`sum(${usageDaily.recommendations})::int`, applied: sql<number>`sum(${usageDaily.applied})::int`,
    })
    .from(usageDaily)
    .leftJoin(users, eq(users.id, usageDaily.userId))
    .where(scope(ctx, days))
    .groupBy(usageDaily.userId, users.name)
    .orderBy(sql`sum(${usageDaily.creditsUsed}) desc`);
  return rows.map((row) => ({ ...row, name: row.name ?? (row.userId === noMember ? "No member (automations)" : "A former member") }));
}

/** Per agent: what it cost, how often it ran, and what of its advice was used. */
export async function valueByAgent(ctx: Ctx, days: InsightPeriod): Promise<AgentValue[]> {
  const db = await getDb();
  const rows = await db
    .select({
      agentId: usageDaily.agentId,
      runs: sql<number>`sum(${usageDaily.runs})::int`, credits: sql<number>`sum(${usageDaily.creditsUsed})::int`, itemsInScope: sql<number>`sum(${usageDaily.itemsInScope})::int`,
      recommendations: sql<number>`sum(${usageDaily.recommendations})::int`, applied: sql<number>`sum(${usageDaily.applied})::int`,
    })
    .from(usageDaily)
    .where(scope(ctx, days))
    .groupBy(usageDaily.agentId)
    .orderBy(sql`sum(${usageDaily.creditsUsed}) desc`);
  return rows.map((row) => ({
    ...row,
    runsPerWeek: Math.round((row.runs / days) * 7 * 10) / 10,
    creditsPerItem: row.itemsInScope > 0 ? Math.round((row.credits / row.itemsInScope) * 100) / 100 : null,
    applyRate: row.recommendations > 0 ? row.applied / row.recommendations : null,
    creditsPerApplied: row.applied > 0 ? Math.round((row.credits / row.applied) * 10) / 10 : null,
    label: labelValue(row.recommendations, row.applied),
  }));
}
