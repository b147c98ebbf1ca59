import { readExecutionLog } from "@/lib/executions/log";
import { logPageSize, parseLogRequest } from "@/lib/executions/log-request";
import { route } from "@/lib/http/route";
import { queryString } from "@/lib/url-state/params";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/[id]/log`: one page of an execution's processing log as JSON, by
 * line number — `after` reads on from a line, `before` back from one; `level` is all, warn
 * (warnings and errors) or error; `limit` ≤ 1,000 (default 200). Session cookie auth.
 */
export const GET = route<{ id: string }>({ access: "member", signInTo: "read this log" }, async ({ caller, request, params }) => {
  const parsed = parseLogRequest(new URL(request.url).searchParams);
  if (!parsed.ok) return parsed;
  const { id } = params;
  const page = await readExecutionLog(caller, id, parsed);
  if (!page.ok) return page;
  const link = (position: { after?: number; before?: number }) =>
    `/api/executions/${id}/log${queryString({ ...position, level: parsed.level !== "all" ? parsed.level : null, limit: parsed.limit !== logPageSize ? parsed.limit : null })}`;
  return Response.json({
    lines: page.lines.map((line) => ({ ...line, at: line.at.toISOString() })),
    page: {
      next: page.next !== null ? { after: page.next, url: link({ after: page.next }) } : null,
      prev: page.prev !== null ? { before: page.prev, url: link({ before: page.prev }) } : null,
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
