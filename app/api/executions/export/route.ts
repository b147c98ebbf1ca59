import { getSessionContext } from "@/lib/auth/session";
import { exportHistoryCsv } from "@/lib/exports/history-csv";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/export`: the history list as CSV with the list page's filters (agent,
 * status, outcome, range, from, to), every matching run the person can see. Streamed.
 */
export async function GET(request: Request) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to export executions."));
  const exported = await exportHistoryCsv(ctx, new URL(request.url).searchParams);
  if (!exported.ok) return failureResponse(exported);
  return downloadResponse(exported);
}
