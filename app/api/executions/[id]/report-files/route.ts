import { listReportFiles } from "@/lib/exports/report-files";
import { getVisibleExecution } from "@/lib/executions/queries";
import { route } from "@/lib/http/route";
import { failure } from "@/lib/outcome";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/executions/:id/report-files`: the run's downloads kept for 30 days, newest first, each with its download URL. */
export const GET = route<{ id: string }>({ access: "member", signInTo: "list report files" }, async ({ caller, params }) => {
  if (!(await getVisibleExecution(caller, params.id))) return failure("not_found", "Execution not found.");
  const files = await listReportFiles(caller, params.id);
  return Response.json({
    files: files.map((f) => ({
      id: f.id, format: f.format, part: f.part, fileName: f.fileName, sizeBytes: f.sizeBytes, createdAt: f.createdAt.toISOString(), expiresAt: f.expiresAt.toISOString(),
      createdBy: f.createdByName, url: `/api/report-files/${f.id}`,
    })),
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
