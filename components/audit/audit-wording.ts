import { agentName, isAgentId } from "@/lib/agents/catalog";
import type { AuditAction } from "@/lib/audit/record";
import { fieldLabel } from "@/lib/results/field-labels";

/** Audit actions in words, for the audit log page: every action `recordAudit` can write has its sentence. */
const actionLabels: Record<AuditAction, string> = {
  "execution.started": "Started a run",
  "execution.cancel_requested": "Asked a run to stop",
  "execution.deleted": "Deleted a run",
  "recommendation.applied": "Applied a recommendation",
  "recommendation.edited": "Edited a generated text",
  "recommendation.decided": "Decided recommendations",
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
  "connection.health_changed": "Changed the store connection's health",
  "settings.links_changed": "Changed who share links open for",
  "settings.retention_changed": "Changed retention",
  "workflow.created": "Created a workflow",
  "workflow.updated": "Changed a workflow",
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
  name: "Name", schedule: "Schedule", allowExternalLinks: "Links open for outsiders", workflowId: "Workflow", rerunOf: "Re-run of",
  executionId: "Run", startedBy: "Started by", health: "Health", format: "Format", part: "Table", fileName: "File",
};
// Ids that the row's target already shows, or that mean nothing to a reader.
const hidden = new Set(["executionId", "memberShareId", "workspaceId", "startedBy", "workflowId", "decision", "fileId", "shareId"]);

function shown(key: string, value: unknown, field: string | null): string {
  if (value === null || value === undefined || value === "") return "—";
  if (key === "agentId" && typeof value === "string" && isAgentId(value)) return agentName(value);
  if (key === "field" && typeof value === "string") return fieldLabel(value);
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value.toLocaleString("en-US");
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if ((key === "before" || key === "after" || key === "restored") && field?.endsWith(".bytes") && /^\d+$/.test(text)) return `${Math.round(Number(text) / 1000).toLocaleString("en-US")} KB`;
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** An entry's details as "Label: value" pairs, in words, with ids left out. */
export function describeDetails(data: Record<string, unknown> | null): [string, string][] {
  if (!data) return [];
  const field = typeof data.field === "string" ? data.field : null;
  return Object.entries(data)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => [detailLabels[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()), shown(key, value, field)]);
}
