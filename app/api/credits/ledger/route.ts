import { exportLedgerCsv } from "@/lib/credits/ledger-csv";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/credits/ledger`: the credit ledger as CSV with the Credits page's filters (from, to, agent, member, kind). Streamed. */
export const GET = route({ access: "member", signInTo: "export the credit ledger", token: "admin" }, async ({ caller, request }) => {
  const exported = await exportLedgerCsv(caller, new URL(request.url).searchParams);
  return exported.ok ? downloadResponse(exported) : exported;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
