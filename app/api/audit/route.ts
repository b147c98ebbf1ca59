import { exportAuditCsv } from "@/lib/audit/queries";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/audit`: the audit log as CSV with the page's filters (category, actor, from, to). Admins only. Streamed. */
export const GET = route({ access: "member", signInTo: "export the audit log", token: "admin" }, async ({ caller, request }) => {
  const exported = await exportAuditCsv(caller, new URL(request.url).searchParams);
  return exported.ok ? downloadResponse(exported) : exported;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
