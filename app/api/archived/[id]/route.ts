import { getSessionContext } from "@/lib/auth/session";
import { attachmentDisposition } from "@/lib/exports/file-name";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";
import { exportArchivedExecution } from "@/lib/retention/archived";

export const dynamic = "force-dynamic";

/** `GET /api/archived/:executionId`: "request archived data" — an archived execution as a JSON file. Admins only. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to export archived executions."));
  const result = await exportArchivedExecution(ctx, (await params).id);
  if (!result.ok) return failureResponse(result);
  return new Response(result.json, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": attachmentDisposition(result.fileName), "Cache-Control": "private, no-store" },
  });
}
