/**
 * The weekly summary email (F14): every Monday from 08:00 in the person's own time zone
 * (users.time_zone, UTC when unknown), the last seven days of the runs they can see — runs,
 * failures, credits — and the top recommendations still awaiting approval, with links.
 * A cron calls `sendDueWeeklySummaries` every hour; the summary's key is the person's local
 * Monday, so however often it runs, each person gets one a week.
 */
import { and, count, desc, eq, gte, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, memberships, notificationSettings, notifications, recommendations, users, workspaces } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { visibleExecutions } from "@/lib/executions/visibility";
import { listRunsArchivingBetween, type ArchivingRun } from "@/lib/retention/keep";
import { absoluteUrl } from "./email";
import { emailKeyFor, recordNotice } from "./notices";
import { formatCount } from "./wording";

const weekMs = 7 * 24 * 60 * 60_000;
const sendHour = 8;

export type WeeklySummary = {
  from: Date;
  to: Date;
  runs: number;
  failures: number;
  creditsCharged: number;
  awaitingApproval: number;
  topAwaiting: { executionId: string; agentId: string; itemLabel: string; field: string; priority: "high" | "medium" | "low"; afterValue: string }[];
  /** Runs that leave the history for Archived in the coming seven days (the first ten of them). */
  archivingNextWeek: ArchivingRun[];
  archivingNextWeekTotal: number;
};

/** The seven days before `now` as this person sees them. */
export async function buildWeeklySummary(ctx: Ctx, now: Date): Promise<WeeklySummary> {
  const db = await getDb();
  const from = new Date(now.getTime() - weekMs);
  const inWeek = and(visibleExecutions(ctx), gte(executions.createdAt, from), lt(executions.createdAt, now));
  const [totals] = await db
    .select({
      runs: count(),
      failures: sql<number>`count(*) filter (where ${executions.status} = 'failed')`.mapWith(Number),
      creditsCharged: sql<number>`coalesce(sum(${executions.creditsCharged}), 0)`.mapWith(Number),
    })
    .from(executions)
    .where(inWeek);
  const awaiting = and(visibleExecutions(ctx), eq(recommendations.status, "pending"));
  const [pending] = await db
    .select({ n: count() })
    .from(recommendations)
    .innerJoin(executions, eq(executions.id, recommendations.executionId))
    .where(awaiting);
  const topAwaiting = await db
    .select({
      executionId: recommendations.executionId, agentId: executions.agentId, itemLabel: recommendations.itemLabel, field: recommendations.field,
      priority: recommendations.priority, afterValue: recommendations.afterValue,
    })
    .from(recommendations)
    .innerJoin(executions, eq(executions.id, recommendations.executionId))
    .where(awaiting)
    .orderBy(sql`case ${recommendations.priority} when 'high' then 0 when 'medium' then 1 else 2 end`, desc(recommendations.createdAt), recommendations.id)
    .limit(5);
  const archiving = await listRunsArchivingBetween(ctx, now, new Date(now.getTime() + weekMs));
  return {
    archivingNextWeek: archiving.runs, archivingNextWeekTotal: archiving.total,
    from, to: now, runs: totals?.runs ?? 0, failures: totals?.failures ?? 0, creditsCharged: totals?.creditsCharged ?? 0,
    awaitingApproval: pending?.n ?? 0, topAwaiting,
  };
}

function weeklySummaryText(summary: WeeklySummary, workspaceName: string): string {
  const lines = [
    `Your week in ${workspaceName} (${summary.from.toISOString().slice(0, 10)} to ${summary.to.toISOString().slice(0, 10)}):`,
    "",
    `- ${formatCount(summary.runs, "run")}: ${absoluteUrl("/executions?range=7d")}`,
    `- ${formatCount(summary.failures, "failure")}: ${absoluteUrl("/executions?range=7d&outcome=failure")}`,
    `- ${formatCount(summary.creditsCharged, "credit")} charged: ${absoluteUrl("/credits")}`,
    `- ${formatCount(summary.awaitingApproval, "recommendation")} awaiting approval`,
  ];
  if (summary.topAwaiting.length) {
    lines.push("", "Top recommendations awaiting approval:");
    for (const rec of summary.topAwaiting) {
      lines.push(`- [${rec.priority}] ${rec.itemLabel} — ${rec.field} (${agentName(rec.agentId)}): ${absoluteUrl(`/executions/${rec.executionId}`)}`);
    }
  }
  if (summary.archivingNextWeek.length) {
    lines.push("", `Leaving the history for Archived next week (${formatCount(summary.archivingNextWeekTotal, "run")}; keep one from its page):`);
    for (const run of summary.archivingNextWeek) {
      lines.push(`- ${agentName(run.agentId)}, archives on ${run.archivesOn.toISOString().slice(0, 10)}: ${absoluteUrl(`/executions/${run.executionId}`)}`);
    }
  }
  lines.push("", "— Runlog (turn this email off under Settings → Notifications)");
  return lines.join("\n");
}

/** The person's local calendar day, weekday and hour at `now`; an unknown zone counts as UTC. */
export function localClock(now: Date, timeZone: string): { date: string; weekday: string; hour: number } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" });
  } catch {
    return localClock(now, "UTC");
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => format.formatToParts(now).find((p) => p.type === type)?.value ?? "";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, weekday: part("weekday"), hour: Number(part("hour")) };
}

export type WeeklyRun = { sent: number; emailKeys: string[] };

/** Sends the summary to everyone who wants one and whose Monday 08:00 has come and not yet been served. */
export async function sendDueWeeklySummaries(now: Date = new Date()): Promise<WeeklyRun> {
  const db = await getDb();
  const subscribers = await db
    .select({
      userId: users.id, email: users.email, timeZone: users.timeZone, workspaceId: workspaces.id, workspaceName: workspaces.name,
      role: memberships.role, isEmailEnabled: notificationSettings.isEmailEnabled,
    })
    .from(notificationSettings)
    .innerJoin(memberships, and(eq(memberships.workspaceId, notificationSettings.workspaceId), eq(memberships.userId, notificationSettings.userId)))
    .innerJoin(users, eq(users.id, notificationSettings.userId))
    .innerJoin(workspaces, eq(workspaces.id, notificationSettings.workspaceId))
    .where(eq(notificationSettings.isWeeklySummaryEnabled, true));
  const result: WeeklyRun = { sent: 0, emailKeys: [] };
  for (const person of subscribers) {
    const clock = localClock(now, person.timeZone);
    if (clock.weekday !== "Mon" || clock.hour < sendHour) continue;
    const dedupeKey = `weekly_summary:${person.workspaceId}:${person.userId}:${clock.date}`;
    const [done] = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, dedupeKey));
    if (done) continue;
    const summary = await buildWeeklySummary({ userId: person.userId, workspaceId: person.workspaceId, role: person.role }, now);
    const text = weeklySummaryText(summary, person.workspaceName);
    const subject = `Runlog weekly summary: ${formatCount(summary.runs, "run")}, ${formatCount(summary.failures, "failure")}`;
    const notice = {
      workspaceId: person.workspaceId, userId: person.userId, kind: "weekly_summary" as const, dedupeKey, href: "/executions?range=7d",
      title: `Your week: ${formatCount(summary.runs, "run")}, ${formatCount(summary.failures, "failure")}, ${formatCount(summary.creditsCharged, "credit")}`,
      body: `${formatCount(summary.awaitingApproval, "recommendation")} awaiting approval.`,
      email: person.isEmailEnabled ? { toAddress: person.email, subject, text } : null,
    };
    const isNew = await db.transaction((tx) => recordNotice(tx, notice));
    if (isNew) result.sent++;
    if (notice.email) result.emailKeys.push(emailKeyFor(notice));
  }
  return result;
}
