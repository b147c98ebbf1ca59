import { attachmentDisposition } from "@/lib/exports/file-name";
import { route } from "@/lib/http/route";
import { exportArchivedExecution } from "@/lib/retention/archived";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/archived/:executionId`: "request archived data" — an archived execution as a JSON file. Admins only. */
export const GET = route<{ id: string }>({ access: "member", signInTo: "export archived executions", token: "admin" }, async ({ caller, params }) => {
  const result = await exportArchivedExecution(caller, params.id);
  if (!result.ok) return result;
  return new Response(result.json, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": attachmentDisposition(result.fileName), "Cache-Control": "private, no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
