/**
 * The audit log's one writer. Every action it records is named in `auditActions`, with what it
 * is about and the filter category it belongs to, so a new action cannot be written without
 * the audit page's filter finding it.
 */
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";

/** The kinds of action the audit page filters by, in the order it offers them. */
export const auditCategoryLabels = {
  runs: "Runs",
  applies: "Applies and edits",
  reverts: "Reverts",
  deletes: "Deletes",
  shares: "Shares",
  exports: "Exports",
  settings: "Settings",
} as const;
export type AuditCategory = keyof typeof auditCategoryLabels;

type AuditTarget = "execution" | "recommendation" | "action_item" | "share" | "report_file" | "workspace" | "connection" | "workflow" | "api_token" | "webhook" | "person";

export const auditActions = {
  "execution.started": { target: "execution", category: "runs" },
  "execution.cancel_requested": { target: "execution", category: "runs" },
  "recommendation.applied": { target: "recommendation", category: "applies" },
  "recommendation.edited": { target: "recommendation", category: "applies" },
  /** Approved, rejected or set back to pending, in bulk: the decision and count are in its data. */
  "recommendation.decided": { target: "execution", category: "applies" },
  /** Every recommendation a filter matched, applied by one confirmed background job: the counts, the filter and how it ended are in its data. */
  "recommendation.bulk_applied": { target: "execution", category: "applies" },
  /** Someone asked such a job to stop after the part under way (its starter, or an admin): once per job. */
  "recommendation.apply_stop_requested": { target: "execution", category: "applies" },
  "action_item.done": { target: "action_item", category: "applies" },
  "action_item.reopened": { target: "action_item", category: "applies" },
  "recommendation.reverted": { target: "recommendation", category: "reverts" },
  "execution.deleted": { target: "execution", category: "deletes" },
  /** Every run a filter matched, deleted by one confirmed bulk action: the count and the filter are in its data. */
  "execution.bulk_deleted": { target: "workspace", category: "deletes" },
  /** Every run a filter matched that the person may share, shared with chosen members by one confirmed bulk action: count, filter, whom with. */
  "execution.bulk_shared": { target: "workspace", category: "shares" },
  "share.created": { target: "share", category: "shares" },
  "share.updated": { target: "share", category: "shares" },
  "share.link_created": { target: "share", category: "shares" },
  "share.link_claimed": { target: "share", category: "shares" },
  "share.revoked": { target: "share", category: "shares" },
  /** A download of a run (CSV, JSON or PDF) or of a list (CSV), stored as a report file. */
  "export.downloaded": { target: "report_file", category: "exports" },
  /** A stored report file downloaded again within its 30 days. */
  "export.downloaded_again": { target: "report_file", category: "exports" },
  "archive.exported": { target: "execution", category: "exports" },
  /** Kept out of archival, and let go again (F16). */
  "execution.kept": { target: "execution", category: "runs" },
  "execution.released": { target: "execution", category: "runs" },
  "archive.restored": { target: "execution", category: "runs" },
  "settings.retention_changed": { target: "workspace", category: "settings" },
  "settings.links_changed": { target: "workspace", category: "settings" },
  "connection.health_changed": { target: "connection", category: "settings" },
  "workflow.created": { target: "workflow", category: "settings" },
  "workflow.updated": { target: "workflow", category: "settings" },
  "api_token.created": { target: "api_token", category: "settings" },
  "api_token.revoked": { target: "api_token", category: "settings" },
  /** A revoked, expired or out-of-scope token was refused: the reason is in its data. */
  "api_token.denied": { target: "api_token", category: "settings" },
  "webhook.created": { target: "webhook", category: "settings" },
  "webhook.deleted": { target: "webhook", category: "settings" },
  /** An admin sent a delivery again from the delivery log. */
  "webhook.replayed": { target: "webhook", category: "settings" },
  "settings.webhooks_changed": { target: "workspace", category: "settings" },
  /** A person changed their own password, which ended their other sessions. */
  "account.password_changed": { target: "person", category: "settings" },
} as const satisfies Record<string, { target: AuditTarget; category: AuditCategory }>;
export type AuditAction = keyof typeof auditActions;

export function auditActionsIn(category: AuditCategory): AuditAction[] {
  return (Object.keys(auditActions) as AuditAction[]).filter((action) => auditActions[action].category === category);
}

/**
 * Who did it: a member (their context), someone through a share link (no member: the row says
 * which link), or the system (a workflow's run, `userId: null`).
 */
export type AuditActor = { workspaceId: string; userId: string | null; linkShare?: { shareId: string }; apiToken?: { id: string } };

export type AuditEntry = {
  action: AuditAction;
  /** The id of what it is about; its kind comes from the action. */
  target: string | null;
  data?: Record<string, unknown>;
  ipAddress?: string | null;
  /** When it happened, if not now (the demo seed's history). */
  at?: Date;
};

/** Writes entries in the caller's transaction, so they exist exactly when what they record does. */
export async function recordAudit(tx: DbOrTx, actor: AuditActor, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await tx.insert(auditLog).values(
    list.map(({ action, target, data, ipAddress, at }) => ({
      workspaceId: actor.workspaceId,
      actorUserId: actor.linkShare ? null : actor.userId,
      action,
      targetType: auditActions[action].target,
      targetId: target,
      data: actor.linkShare ? { ...data, throughShareId: actor.linkShare.shareId } : actor.apiToken ? { ...data, throughTokenId: actor.apiToken.id } : (data ?? null),
      ipAddress: ipAddress ?? null,
      ...(at ? { at } : {}),
    })),
  );
}
