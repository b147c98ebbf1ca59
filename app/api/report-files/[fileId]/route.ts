import { openReportFile } from "@/lib/exports/report-files";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/report-files/[fileId]`: a stored report file again, within its 30 days (then 410, later 404). */
export const GET = route<{ fileId: string }>({ access: "member", signInTo: "download report files" }, async ({ caller, params }) => {
  const file = await openReportFile(caller, params.fileId);
  return file.ok ? downloadResponse(file) : file;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
