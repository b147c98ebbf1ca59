import { exportExecution } from "@/lib/exports/export-execution";
import { downloadResponse } from "@/lib/http/download-response";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /s/[token]/download/[format]`: a shared execution's downloads, for whoever may open
 * the link (its password cookie, when it has one, is scoped to this path). Same formats and
 * `?part=` as the app's export route; each download is logged as an open of the link.
 */
export const GET = route<{ token: string; format: string }>({ access: "link" }, async ({ caller, request, params }) => {
  const exported = await exportExecution(caller.ctx, caller.share.executionId, { format: params.format, part: new URL(request.url).searchParams.get("part") });
  return exported.ok ? downloadResponse(exported) : exported;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
