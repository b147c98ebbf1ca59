import { getSessionContext } from "@/lib/auth/session";
import { exportExecution } from "@/lib/exports/export-execution";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/[id]/export/[format]`: downloads a finished execution as `csv` (one
 * table: `?part=recommendations|items|metrics|action_items|log`, by default the agent's main
 * one), `json` (everything, schema at /api/schema/execution.json) or `pdf` (the report).
 * Streamed, and kept for 30 days under the execution's Downloads. Session cookie auth.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string; format: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to download executions."));
  const { id, format } = await params;
  const exported = await exportExecution(ctx, id, { format, part: new URL(request.url).searchParams.get("part") });
  if (!exported.ok) return failureResponse(exported);
  return downloadResponse(exported);
}
