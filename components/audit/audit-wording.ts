import { agentName, isAgentId } from "@/lib/agents/catalog";
import type { AuditAction } from "@/lib/audit/record";
import { csvPartLabels } from "@/lib/exports/formats";
import { fieldLabel, formatBytes, isByteSize } from "@/lib/results/field-labels";

/** Audit actions in words, for the audit log page: every action `recordAudit` can write has its sentence. */
const actionLabels: Record<AuditAction, string> = {
  "execution.started": "Started a run",
  "execution.cancel_requested": "Asked a run to stop",
  "execution.deleted": "Deleted a run",
  "execution.bulk_deleted": "Deleted every run a filter matched",
  "execution.bulk_shared": "Shared every run a filter matched with members",
  "recommendation.applied": "Applied a recommendation",
  "recommendation.edited": "Edited a generated text",
  "recommendation.decided": "Decided recommendations",
  "recommendation.bulk_applied": "Applied every recommendation a filter matched",
  "recommendation.apply_stop_requested": "Asked an apply of every match to stop",
  "recommendation.reverted": "Reverted an applied change",
  "action_item.done": "Ticked an action item done",
  "action_item.reopened": "Reopened an action item",
  "share.created": "Shared a run with members",
  "share.updated": "Changed a share",
  "share.revoked": "Revoked a share",
  "share.link_created": "Created a share link",
  "share.link_claimed": "Took a share link into Runlog",
  "export.downloaded": "Downloaded a report",
  "export.downloaded_again": "Downloaded a stored report again",
  "archive.exported": "Downloaded an archived run",
  "execution.kept": "Kept a run from archival",
  "execution.released": "Let a kept run be archived",
  "archive.restored": "Restored an archived run",
  "connection.health_changed": "Changed the store connection's health",
  "settings.links_changed": "Changed who share links open for",
  "settings.retention_changed": "Changed retention",
  "workflow.created": "Created a workflow",
  "workflow.updated": "Changed a workflow",
  "api_token.created": "Created an API token",
  "api_token.revoked": "Revoked an API token",
  "api_token.denied": "Refused an API token",
  "webhook.created": "Added a webhook",
  "webhook.deleted": "Removed a webhook",
  "webhook.replayed": "Sent a webhook delivery again",
  "settings.webhooks_changed": "Changed where webhooks may deliver",
  "account.password_changed": "Changed their password (their other sessions ended)",
};
const decisions: Record<string, string> = { approved: "Approved recommendations", rejected: "Rejected recommendations", pending: "Set recommendations back to pending" };

export function describeAction(action: string, data: Record<string, unknown> | null = null): string {
  if (action === "recommendation.decided" && typeof data?.decision === "string" && decisions[data.decision]) return decisions[data.decision]!;
  if (action in actionLabels) return actionLabels[action as AuditAction];
  const text = action.replace(/[._]/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const detailLabels: Record<string, string> = {
  agentId: "Agent", status: "Status", items: "Items", count: "How many", creditsReserved: "Credits reserved", creditsCharged: "Credits charged",
  item: "Item", field: "Field", before: "Before", after: "After", restored: "Restored", permission: "Permission", title: "Item",
  name: "Name", schedule: "Schedule", timeZone: "Time zone", isEnabled: "On", maxItems: "At most", allowExternalLinks: "Links open for outsiders",
  rerunOf: "Re-run of", health: "Health", format: "Format", part: "Table", fileName: "File", kind: "Share", granteeUserId: "With",
  grantee: "With", was: "Was", hasPassword: "Password", expiresAt: "Expires",
  tokenKind: "Token", scope: "Scope", needs: "Needed", reason: "Why", expiresInDays: "Expires in (days)", throughTokenId: "Through API token",
  url: "URL", events: "Events", event: "Event", allowPrivateWebhooks: "Private addresses allowed",
  alreadyApplied: "Already applied", failed: "Failed", skipped: "Changed after the preview", expected: "Confirmed", ending: "Ended",
};
// Ids that the row's target already shows, or that mean nothing to a reader.
const hidden = new Set(["executionId", "memberShareId", "workspaceId", "startedBy", "workflowId", "decision", "fileId", "shareId", "jobId", "query"]);
const valueWords: Record<string, Record<string, string>> = {
  permission: { view: "view only", apply: "can apply" },
  was: { view: "view only", apply: "can apply" },
  kind: { member: "with members", link: "link" },
  format: { csv: "CSV", json: "JSON", pdf: "PDF" },
  part: csvPartLabels,
};
const dateOnly = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** Who an entry names, by user id: the workspace's members as the page knows them. */
export type MemberNames = ReadonlyMap<string, string>;

function shown(key: string, value: unknown, field: string | null, names: MemberNames): string {
  if (key === "expiresAt" && value === null) return "never";
  if (value === null || value === undefined || value === "") return "—";
  if (key === "agentId" && typeof value === "string" && isAgentId(value)) return agentName(value);
  if (key === "field" && typeof value === "string") return fieldLabel(value);
  if (key === "granteeUserId" && typeof value === "string") return names.get(value) ?? "a former member";
  if (key === "rerunOf" && typeof value === "string") return `run ${value.slice(0, 8)}`;
  if (key === "status" && typeof value === "string") return value.charAt(0).toUpperCase() + value.slice(1);
  if (key === "expiresAt" && typeof value === "string" && !Number.isNaN(Date.parse(value))) return dateOnly.format(new Date(value));
  if (typeof value === "string" && valueWords[key]?.[value]) return valueWords[key][value];
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value.toLocaleString("en-US");
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if ((key === "before" || key === "after" || key === "restored") && field && isByteSize(field) && /^\d+$/.test(text)) return formatBytes(Number(text));
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/**
 * An entry's details as "Label: value" pairs, in words, with ids left out or named: who a
 * share was with, sizes in KB, permissions as the share dialog words them. A share's kind
 * shows only where the action does not already say it, a download's table only for a CSV.
 */
export function describeDetails(action: string, data: Record<string, unknown> | null, names: MemberNames = new Map()): [string, string][] {
  if (!data) return [];
  const field = typeof data.field === "string" ? data.field : null;
  const isSaid = (key: string) => (key === "kind" && (action === "share.created" || action === "share.link_created")) || (key === "part" && data.format !== "csv");
  // A link has no grantee and most runs re-run nothing: left out rather than shown as "—".
  const isNothing = (key: string, value: unknown) => (key === "granteeUserId" || key === "rerunOf") && (value === null || value === undefined);
  return Object.entries(data)
    .filter(([key, value]) => !hidden.has(key) && !isSaid(key) && !isNothing(key, value))
    .map(([key, value]) => [detailLabels[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()), shown(key, value, field, names)]);
}

const targetLabels: Record<string, string> = {
  execution: "Run", recommendation: "Recommendation", action_item: "Action item", share: "Share", report_file: "Report file",
  workspace: "Workspace", connection: "Store connection", workflow: "Workflow", person: "Person",
};

/**
 * What an entry is about, for its Target cell: the run it concerns when there is one (a link
 * unless the entry records its deletion), else the kind of thing in words and its short id.
 */
export function describeTarget(entry: { action: string; targetType: string; targetId: string | null; data: Record<string, unknown> | null }): { text: string; runId: string | null } {
  const runId = entry.targetType === "execution" ? entry.targetId : typeof entry.data?.executionId === "string" ? entry.data.executionId : null;
  if (runId) return entry.action === "execution.deleted" ? { text: `Run ${runId.slice(0, 8)} (deleted)`, runId: null } : { text: `Run ${runId.slice(0, 8)}`, runId };
  const label = targetLabels[entry.targetType] ?? entry.targetType.replace(/_/g, " ");
  return { text: entry.targetType === "workspace" ? label : `${label}${entry.targetId ? ` ${entry.targetId.slice(0, 8)}` : ""}`, runId: null };
}
