import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { listExecutions } from "@/lib/executions/list";
import { parseListRequest } from "@/lib/executions/list-filter";
import type { Failure } from "@/lib/outcome";
import { csvHead, csvLines, isoCell } from "./csv";
import { historyFileName } from "./file-name";
import { contentTypes } from "./formats";
import { storeWhileStreaming } from "./report-files";
import type { ExportedFile } from "./export-execution";
import type { QueryParams } from "@/lib/http/query-params";


const historyPageSize = 1000;

/**
 * The history list as CSV, with the list's own filters (agent, status, outcome, range, from,
 * to) and visibility rule: every matching run, newest first, read by the list's keyset pages
 * and written as they arrive (admins use it to audit usage). Page cursors in the link are
 * ignored: the export always covers the whole filtered list.
 */
export async function exportHistoryCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<({ ok: true } & ExportedFile) | Failure> {
  const parsed = parseListRequest(params);
  if ("message" in parsed) return parsed;
  const filter = parsed.filter;
  async function* rows(): AsyncGenerator<string> {
    yield csvHead([
      "id", "agent_id", "agent", "agent_version", "status", "triggered_by", "workflow", "created_at", "started_at", "finished_at", "duration_ms",
      "items_total", "items_processed", "items_failed", "credits_reserved", "credits_charged", "credits_refunded", "preview", "error_code", "error_message", "rerun_of",
    ]);
    let after = null;
    for (;;) {
      const page = await listExecutions(ctx, { filter, page: { after, before: null }, limit: historyPageSize }, now);
      yield csvLines(page.rows.map((e) => [
        e.id, e.agentId, agentName(e.agentId), e.agentVersion, e.status, e.triggeredByName, e.workflowName,
        isoCell(e.createdAt), isoCell(e.startedAt), isoCell(e.finishedAt), e.startedAt && e.finishedAt ? e.finishedAt.getTime() - e.startedAt.getTime() : null,
        e.itemsTotal, e.itemsProcessed, e.itemsFailed, e.creditsReserved, e.creditsCharged, e.creditsRefunded, e.preview, e.errorCode, e.errorMessage, e.rerunOf,
      ]));
      if (!page.next) return;
      after = page.next;
    }
  }
  const fileName = historyFileName(now);
  const contentType = contentTypes.csv;
  const stored = await storeWhileStreaming(ctx, { executionId: null, format: "csv", part: "history", fileName, contentType }, rows, now);
  return { ok: true, fileId: stored.fileId, fileName, contentType, stream: stored.stream };
}
