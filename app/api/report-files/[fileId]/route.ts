import { getSessionContext } from "@/lib/auth/session";
import { openReportFile } from "@/lib/exports/report-files";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/** `GET /api/report-files/[fileId]`: a stored report file again, within its 30 days (then 410, later 404). */
export async function GET(_request: Request, { params }: { params: Promise<{ fileId: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to download report files."));
  const { fileId } = await params;
  const file = await openReportFile(ctx, fileId);
  if (!file.ok) return failureResponse(file);
  return downloadResponse(file);
}
