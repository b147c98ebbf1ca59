import { cookies } from "next/headers";
import { getSessionContext } from "@/lib/auth/session";
import { exportExecution } from "@/lib/exports/export-execution";
import { clientAddress } from "@/lib/http/client-address";
import { downloadResponse } from "@/lib/http/download-response";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";
import { goneMessage, linkViewerOf, visitShareLink } from "@/lib/shares/links";
import { linkAccessCookie } from "@/lib/shares/tokens";

export const dynamic = "force-dynamic";

/**
 * `GET /s/[token]/download/[format]`: a shared execution's downloads, for whoever may open
 * the link (its password cookie, when it has one, is scoped to this path). Same formats and
 * `?part=` as the app's export route; each download is logged as an open of the link.
 */
export async function GET(request: Request, { params }: { params: Promise<{ token: string; format: string }> }) {
  const { token, format } = await params;
  const session = await getSessionContext();
  const visit = await visitShareLink(token, linkViewerOf(session), clientAddress(request.headers), (await cookies()).get(linkAccessCookie)?.value);
  if (visit.state === "gone") return failureResponse(failure("not_found", goneMessage));
  if (visit.state === "members_only") return failureResponse(failure("unauthorized", "Sign in as a member of the workspace that shared this execution to download it."));
  if (visit.state === "needs_password") return failureResponse(failure("unauthorized", "Open the link and enter its password first."));
  const exported = await exportExecution(visit.ctx, visit.share.executionId, { format, part: new URL(request.url).searchParams.get("part") });
  return exported.ok ? downloadResponse(exported) : failureResponse(exported);
}
