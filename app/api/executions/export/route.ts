import { exportHistoryCsv } from "@/lib/executions/history-csv";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/export`: the history list as CSV with the list page's filters (agent,
 * status, outcome, range, from, to, id, q), every matching run the person can see. Streamed.
 */
export const GET = route({ access: "member", signInTo: "export executions" }, async ({ caller, request }) => {
  const exported = await exportHistoryCsv(caller, new URL(request.url).searchParams);
  return exported.ok ? downloadResponse(exported) : exported;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
