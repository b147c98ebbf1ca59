import { exportAuditCsv } from "@/lib/audit/queries";
import { getSessionContext } from "@/lib/auth/session";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/** `GET /api/audit`: the audit log as CSV with the page's filters (category, actor, from, to). Admins only. Streamed. */
export async function GET(request: Request) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to export the audit log."));
  const exported = await exportAuditCsv(ctx, new URL(request.url).searchParams);
  return exported.ok ? downloadResponse(exported) : failureResponse(exported);
}
