import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { csvHead, csvLines, isoCell } from "@/lib/exports/csv";
import type { ExportedFile } from "@/lib/exports/export-execution";
import { contentTypes } from "@/lib/exports/formats";
import { storeWhileStreaming } from "@/lib/exports/report-files";
import type { Outcome } from "@/lib/outcome";
import type { TimeIdCursor } from "@/lib/pagination/cursor";
import { listLedger, parseLedgerRequest } from "./ledger-list";
import type { QueryParams } from "@/lib/http/query-params";


const exportPageSize = 1000;

/**
 * The filtered ledger as CSV, for admins auditing usage (members get their own movements):
 * every matching movement, newest first, written page by page as they are read.
 */
export async function exportLedgerCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<Outcome<ExportedFile>> {
  const parsed = parseLedgerRequest(params);
  if (!parsed.ok) return parsed;
  const { filter } = parsed;
  async function* rows(): AsyncGenerator<string> {
    yield csvHead(["id", "at", "kind", "amount", "balance_after", "agent_id", "agent", "member", "execution_id", "note"]);
    let after: TimeIdCursor | null = null;
    for (;;) {
      const page = await listLedger(ctx, { filter, after }, exportPageSize);
      yield csvLines(page.rows.map((e) => [e.id, isoCell(e.at), e.kind, e.amount, e.balanceAfter, e.agentId, e.agentId ? agentName(e.agentId) : null, e.userName, e.executionId, e.note]));
      if (!page.next) return;
      after = page.next;
    }
  }
  const fileName = `runlog-credits-${now.toISOString().slice(0, 10)}.csv`;
  const contentType = contentTypes.csv;
  const stored = await storeWhileStreaming(ctx, { executionId: null, format: "csv", part: "ledger", fileName, contentType }, rows, now);
  return { ok: true, fileId: stored.fileId, fileName, contentType, stream: stored.stream };
}
