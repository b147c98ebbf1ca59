import { getSessionContext } from "@/lib/auth/session";
import { exportLedgerCsv } from "@/lib/credits/ledger-csv";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/** `GET /api/credits/ledger`: the credit ledger as CSV with the Credits page's filters (from, to, agent, member, kind). Streamed. */
export async function GET(request: Request) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to export the credit ledger."));
  const exported = await exportLedgerCsv(ctx, new URL(request.url).searchParams);
  return exported.ok ? downloadResponse(exported) : failureResponse(exported);
}
