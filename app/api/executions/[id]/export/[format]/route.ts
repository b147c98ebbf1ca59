import { exportExecution } from "@/lib/exports/export-execution";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/[id]/export/[format]`: downloads a finished execution as `csv` (one
 * table: `?part=recommendations|items|metrics|action_items|log|overview`, by default the agent's main
 * one), `json` (everything, schema at /api/schema/execution.json) or `pdf` (the report).
 * Streamed, and kept for 30 days under the execution's Downloads. Session cookie auth.
 */
export const GET = route<{ id: string; format: string }>({ access: "member", signInTo: "download executions" }, async ({ caller, request, params }) => {
  const exported = await exportExecution(caller, params.id, { format: params.format, part: new URL(request.url).searchParams.get("part") });
  return exported.ok ? downloadResponse(exported) : exported;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
