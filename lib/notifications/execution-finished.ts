/**
 * What a finished execution tells people (F14): its runner and its workflow's creator get a
 * completion notice for long runs, a failure alert, and a credit-threshold alert when the run
 * used more than their threshold; admins who opted in also hear about others' failures. Each
 * notice is keyed by execution, kind and person, so handling the event twice sends nothing twice.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, memberships, notificationSettings, users, workflows, type Execution } from "@/db/schema";
import { agentName } from "@/lib/agents/catalog";
import { formatCount } from "./wording";
import { absoluteUrl } from "./email";
import { emailKeyFor, recordNotice, type Notice } from "./notices";
import { defaultPreferences, type NotificationPreferences } from "./settings";

type Recipient = { userId: string; email: string; role: "admin" | "member"; preferences: NotificationPreferences };

export type FinishedNotices = { notified: number; emailKeys: string[] };

export async function notifyExecutionFinished(executionId: string): Promise<FinishedNotices> {
  const db = await getDb();
  const [row] = await db
    .select({ execution: executions, workflowCreatorId: workflows.createdBy, workflowName: workflows.name })
    .from(executions)
    .leftJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(eq(executions.id, executionId));
  if (!row || !isFinished(row.execution.status)) return { notified: 0, emailKeys: [] };
  const { execution } = row;
  const owners = [execution.triggeredBy, row.workflowCreatorId].filter((id): id is string => Boolean(id));
  const recipients = await loadRecipients(execution.workspaceId, owners);
  const notices: Notice[] = [];
  for (const recipient of recipients) {
    const isOwner = owners.includes(recipient.userId);
    notices.push(...noticesFor(execution, recipient, isOwner, row.workflowName));
  }
  let notified = 0;
  await db.transaction(async (tx) => {
    for (const notice of notices) if (await recordNotice(tx, notice)) notified++;
  });
  return { notified, emailKeys: notices.filter((notice) => notice.email).map(emailKeyFor) };
}

function isFinished(status: Execution["status"]): boolean {
  return status === "completed" || status === "partial" || status === "failed" || status === "canceled";
}

/** The owners, and every admin (who may follow failures), with their preferences for this workspace. */
async function loadRecipients(workspaceId: string, ownerIds: string[]): Promise<Recipient[]> {
  const db = await getDb();
  const rows = await db
    .select({ userId: memberships.userId, role: memberships.role, email: users.email, settings: notificationSettings })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(notificationSettings, and(eq(notificationSettings.workspaceId, memberships.workspaceId), eq(notificationSettings.userId, memberships.userId)))
    .where(and(eq(memberships.workspaceId, workspaceId), ownerIds.length ? or(inArray(memberships.userId, ownerIds), eq(memberships.role, "admin")) : eq(memberships.role, "admin")));
  return rows.map(({ userId, role, email, settings }) => ({ userId, role, email, preferences: settings ?? { ...defaultPreferences } }));
}

function noticesFor(execution: Execution, recipient: Recipient, isOwner: boolean, workflowName: string | null): Notice[] {
  const { preferences } = recipient;
  const name = agentName(execution.agentId);
  const what = workflowName ? `${name} (workflow “${workflowName}”)` : name;
  const href = `/executions/${execution.id}`;
  const base = { workspaceId: execution.workspaceId, userId: recipient.userId, executionId: execution.id };
  const withEmail = (subject: string, text: string, path: string) =>
    preferences.isEmailEnabled ? { toAddress: recipient.email, subject, text: `${text}\n\nOpen it: ${absoluteUrl(path)}\n\n— Runlog (change these emails under Settings → Notifications)` } : null;
  const notices: Notice[] = [];

  const isFailureWanted = (isOwner && preferences.isFailureEnabled) || (recipient.role === "admin" && preferences.isWorkspaceFailureEnabled);
  if (execution.status === "failed" && isFailureWanted) {
    const title = `${what} failed`;
    const body = `${execution.errorMessage ?? "The run failed."}${execution.errorHint ? ` ${execution.errorHint}` : ""}`;
    const troubleshooting = `${href}#troubleshooting-heading`;
    notices.push({ ...base, kind: "failure", title, body, href: troubleshooting, dedupeKey: `failure:${execution.id}:${recipient.userId}`, email: withEmail(`Runlog: ${title}`, `${title}.\n\n${body}`, troubleshooting) });
  }

  const durationMs = execution.startedAt && execution.finishedAt ? execution.finishedAt.getTime() - execution.startedAt.getTime() : 0;
  const isLongRun = durationMs >= preferences.completionMinMinutes * 60_000;
  if ((execution.status === "completed" || execution.status === "partial") && isOwner && preferences.isCompletionEnabled && isLongRun) {
    const title = `${what} ${execution.status === "partial" ? "finished with some items failed" : "completed"}`;
    const body = `${formatCount(execution.itemsProcessed, "item")} processed${execution.itemsFailed ? `, ${formatCount(execution.itemsFailed, "item")} failed` : ""} in ${Math.max(1, Math.round(durationMs / 60_000))} min; ${formatCount(execution.creditsCharged, "credit")} charged.${execution.preview ? ` ${execution.preview}` : ""}`;
    notices.push({ ...base, kind: "completion", title, body, href, dedupeKey: `completion:${execution.id}:${recipient.userId}`, email: withEmail(`Runlog: ${title}`, `${title}.\n\n${body}`, href) });
  }

  if (isOwner && preferences.isCreditThresholdEnabled && execution.creditsCharged > preferences.creditThreshold) {
    const title = `${what} used ${formatCount(execution.creditsCharged, "credit")}`;
    const body = `That is over your threshold of ${formatCount(preferences.creditThreshold, "credit")} per execution.`;
    notices.push({ ...base, kind: "credit_threshold", title, body, href, dedupeKey: `credit_threshold:${execution.id}:${recipient.userId}`, email: withEmail(`Runlog: ${title}`, `${title}. ${body}`, href) });
  }
  return notices;
}
