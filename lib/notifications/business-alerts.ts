/**
 * Alerts for admins in business terms: recommendations that have waited a week for a decision,
 * and a credit balance below 10 % of what the last grant brought it to. A cron raises them;
 * each is keyed so it reaches an admin once per week (approvals) or once per grant (balance).
 */
import { and, count, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditAccounts, creditLedger, executions, memberships, recommendations, workspaces } from "@/db/schema";
import { recordNotice, type Notice } from "./notices";
import { formatCount } from "./wording";

const awaitingDays = 7;
const lowBalanceShare = 0.1;

/** `awaiting`: workspaces whose approvals reminder was raised this week for the first time (webhooks follow). */
export type BusinessAlerts = { raised: number; awaiting: { workspaceId: string; count: number; week: string }[] };

export async function raiseBusinessAlerts(now: Date = new Date()): Promise<BusinessAlerts> {
  const db = await getDb();
  const allWorkspaces = await db.select({ id: workspaces.id }).from(workspaces);
  const notices: Notice[] = [];
  const waitingBy = new Map<string, { workspaceId: string; count: number; week: string }>();
  for (const { id: workspaceId } of allWorkspaces) {
    const admins = await db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "admin")));
    if (admins.length === 0) continue;
    const weekAgo = sql`${now.toISOString()}::timestamptz - ${sql.raw(`interval '${awaitingDays} days'`)}`;
    const [waiting] = await db
      .select({ n: count() })
      .from(recommendations)
      .innerJoin(executions, eq(executions.id, recommendations.executionId))
      .where(and(
        eq(executions.workspaceId, workspaceId), isNull(executions.archivedAt), lt(executions.createdAt, weekAgo),
        eq(recommendations.status, "pending"), lt(recommendations.createdAt, weekAgo),
      ));
    const waitingCount = waiting?.n ?? 0;
    if (waitingCount > 0) {
      const week = mondayOf(now);
      waitingBy.set(workspaceId, { workspaceId, count: waitingCount, week });
      for (const { userId } of admins) {
        notices.push({
          workspaceId, userId, kind: "awaiting_approval", href: "/executions?outcome=success",
          title: `${formatCount(waitingCount, "recommendation")} awaiting approval for ${awaitingDays} days`,
          body: "Review them, or reject what you will not apply, so the list stays useful.",
          dedupeKey: `awaiting_approval:${workspaceId}:${userId}:${week}`,
        });
      }
    }
    const [grant] = await db
      .select({ id: creditLedger.id, balanceAfter: creditLedger.balanceAfter })
      .from(creditLedger)
      .where(and(eq(creditLedger.workspaceId, workspaceId), eq(creditLedger.kind, "grant")))
      .orderBy(desc(creditLedger.at), desc(creditLedger.id))
      .limit(1);
    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.workspaceId, workspaceId));
    if (grant && account && grant.balanceAfter > 0 && account.balance < grant.balanceAfter * lowBalanceShare) {
      for (const { userId } of admins) {
        notices.push({
          workspaceId, userId, kind: "low_balance", href: "/credits",
          title: "Credit balance below 10 %",
          body: `${formatCount(account.balance, "credit")} left of the ${formatCount(grant.balanceAfter, "credit")} after the last grant; runs that cost more will be refused.`,
          dedupeKey: `low_balance:${workspaceId}:${userId}:${grant.id}`,
        });
      }
    }
  }
  let raised = 0;
  const awaiting = new Set<string>();
  if (notices.length) {
    await db.transaction(async (tx) => {
      for (const notice of notices) {
        if (!(await recordNotice(tx, notice))) continue;
        raised++;
        if (notice.kind === "awaiting_approval") awaiting.add(notice.workspaceId);
      }
    });
  }
  return { raised, awaiting: [...awaiting].map((workspaceId) => waitingBy.get(workspaceId)!) };
}

/** The UTC date of the Monday that starts `now`'s week: one approvals alert per week. */
function mondayOf(now: Date): string {
  const day = (now.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - day)).toISOString().slice(0, 10);
}
