import { readExecutionLog } from "@/lib/executions/log";
import { logPageSize, parseLogRequest } from "@/lib/executions/log-request";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/[id]/log`: one page of an execution's processing log as JSON, by
 * line number — `after` reads on from a line, `before` back from one; `level` is all, warn
 * (warnings and errors) or error; `limit` ≤ 1,000 (default 200). Session cookie auth.
 */
export const GET = route<{ id: string }>({ access: "member", signInTo: "read this log" }, async ({ caller, request, params }) => {
  const search = new URL(request.url).searchParams;
  const parsed = parseLogRequest({ after: search.get("after") ?? undefined, before: search.get("before") ?? undefined, level: search.get("level") ?? undefined, limit: search.get("limit") ?? undefined });
  if ("message" in parsed) return parsed;
  const { id } = params;
  const page = await readExecutionLog(caller, id, parsed);
  if (!page.ok) return page;
  const link = (position: { after?: number; before?: number }) => {
    const query = new URLSearchParams();
    if (position.after !== undefined) query.set("after", String(position.after));
    if (position.before !== undefined) query.set("before", String(position.before));
    if (parsed.level !== "all") query.set("level", parsed.level);
    if (parsed.limit !== logPageSize) query.set("limit", String(parsed.limit));
    return `/api/executions/${id}/log?${query}`;
  };
  return Response.json({
    lines: page.lines.map((line) => ({ ...line, at: line.at.toISOString() })),
    page: {
      next: page.next !== null ? { after: page.next, url: link({ after: page.next }) } : null,
      prev: page.prev !== null ? { before: page.prev, url: link({ before: page.prev }) } : null,
    },
  });
});
