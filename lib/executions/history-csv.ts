import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import type { ExportedFile } from "@/lib/exports/export-execution";
import { runDurationMs } from "@/lib/exports/execution-overview";
import { exportListCsv } from "@/lib/exports/list-csv";
import type { Outcome } from "@/lib/outcome";
import type { QueryParams } from "@/lib/url-state/params";
import { listExecutions, type ListedExecution } from "./list";
import { parseListRequest, type Cursor } from "./list-filter";

/**
 * The history list as CSV, with the list's own filters (agent, status, outcome, range, from,
 * to, id, q, sort) and visibility rule: every matching run in the list's order (admins use it to
 * audit usage). Page cursors in the link are ignored: the export covers the whole filtered list.
 */
export async function exportHistoryCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<Outcome<ExportedFile>> {
  const parsed = parseListRequest(params);
  if (!parsed.ok) return parsed;
  return exportListCsv<ListedExecution, Cursor>(ctx, {
    name: "executions",
    part: "history",
    columns: {
      id: "id",
      agent_id: "agentId",
      agent: (e) => agentName(e.agentId),
      agent_version: "agentVersion",
      status: "status",
      triggered_by: "triggeredByName",
      workflow: "workflowName",
      created_at: "createdAt",
      started_at: "startedAt",
      finished_at: "finishedAt",
      duration_ms: runDurationMs,
      items_total: "itemsTotal",
      items_processed: "itemsProcessed",
      items_failed: "itemsFailed",
      credits_reserved: "creditsReserved",
      credits_charged: "creditsCharged",
      credits_refunded: "creditsRefunded",
      preview: "preview",
      error_code: "errorCode",
      error_message: "errorMessage",
      rerun_of: "rerunOf",
    },
    page: (after, limit) => listExecutions(ctx, { filter: parsed.filter, page: { after, before: null }, limit }, { now }),
  }, now);
}
