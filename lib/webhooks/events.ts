/**
 * The events a webhook can subscribe to, and what each says. Run events come from the
 * `execution.finished` function; the approvals reminder from the hourly business alerts.
 */
import { and, eq, like } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, notifications } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import { formatCount } from "@/lib/notifications/wording";

export const webhookEvents = {
  "execution.finished": "A run completed, finished with some items failed, or was canceled",
  "execution.failed": "A run failed",
  "recommendations.awaiting_approval": "Recommendations have waited a week for a decision (at most weekly)",
  "credits.threshold_exceeded": "A run used more credits than its owner's threshold (Settings → Notifications)",
} as const;
export type WebhookEvent = keyof typeof webhookEvents;
export const webhookEventNames = Object.keys(webhookEvents) as [WebhookEvent, ...WebhookEvent[]];

/** What an event says: its data (for the JSON format), and a sentence and link (for Slack). */
export type WebhookEventBody = { data: Record<string, unknown>; summary: string; path: string };

type QueuedEvent = { event: WebhookEvent; body: WebhookEventBody; occurrence: string };

/** What a finished run tells webhooks: finished or failed, and whether it passed a credit threshold. */
export async function executionWebhookEvents(executionId: string): Promise<{ workspaceId: string; events: QueuedEvent[] } | null> {
  const db = await getDb();
  const [run] = await db.select().from(executions).where(eq(executions.id, executionId));
  if (!run || !["completed", "partial", "failed", "canceled"].includes(run.status)) return null;
  const name = agentName(run.agentId);
  const path = `/executions/${run.id}`;
  const data = {
    execution: {
      id: run.id, agentId: run.agentId, agentName: name, status: run.status, itemsTotal: run.itemsTotal, itemsProcessed: run.itemsProcessed, itemsFailed: run.itemsFailed,
      credits: { reserved: run.creditsReserved, charged: run.creditsCharged, refunded: run.creditsRefunded },
      startedAt: run.startedAt?.toISOString() ?? null, finishedAt: run.finishedAt?.toISOString() ?? null,
      error: run.errorCode ? { code: run.errorCode, message: run.errorMessage } : null,
    },
  };
  const events: QueuedEvent[] = [];
  if (run.status === "failed") {
    events.push({ event: "execution.failed", occurrence: run.id, body: { data, path, summary: `${name} failed: ${run.errorMessage ?? "see the run"}` } });
  } else {
    const how = run.status === "canceled" ? "was canceled" : run.status === "partial" ? "finished with some items failed" : "completed";
    events.push({ event: "execution.finished", occurrence: run.id, body: { data, path, summary: `${name} ${how}: ${formatCount(run.itemsProcessed, "item")} processed, ${formatCount(run.creditsCharged, "credit")} charged.` } });
  }
  // The same rule as the credit-threshold notice: it was raised for this run.
  const [threshold] = await db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.executionId, run.id), like(notifications.dedupeKey, `credit_threshold:${run.id}:%`))).limit(1);
  if (threshold) {
    events.push({ event: "credits.threshold_exceeded", occurrence: run.id, body: { data, path, summary: `${name} used ${formatCount(run.creditsCharged, "credit")}, over its owner's threshold.` } });
  }
  return { workspaceId: run.workspaceId, events };
}

/** The weekly approvals reminder of one workspace. */
export function awaitingApprovalEvent(count: number, week: string): QueuedEvent {
  return {
    event: "recommendations.awaiting_approval",
    occurrence: week,
    body: { data: { pendingRecommendations: count, waitingDays: 7 }, path: "/executions?outcome=success", summary: `${formatCount(count, "recommendation")} awaiting approval for 7 days.` },
  };
}
