import { agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import type { ExportedFile } from "@/lib/exports/export-execution";
import { exportListCsv } from "@/lib/exports/list-csv";
import type { Outcome } from "@/lib/outcome";
import type { QueryParams } from "@/lib/url-state/params";
import { listLedger, parseLedgerRequest, type LedgerRow } from "./ledger-list";

/**
 * The filtered ledger as CSV, for admins auditing usage (members get their own movements):
 * every matching movement, newest first.
 */
export async function exportLedgerCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<Outcome<ExportedFile>> {
  const parsed = parseLedgerRequest(params);
  if (!parsed.ok) return parsed;
  return exportListCsv<LedgerRow, typeof parsed.after>(ctx, {
    name: "credits",
    part: "ledger",
    columns: {
      id: "id",
      at: "at",
      kind: "kind",
      amount: "amount",
      balance_after: "balanceAfter",
      agent_id: "agentId",
      agent: (e) => (e.agentId ? agentName(e.agentId) : null),
      member: "userName",
      execution_id: "executionId",
      note: "note",
    },
    page: (after, limit) => listLedger(ctx, { filter: parsed.filter, after }, limit),
  }, now);
}
