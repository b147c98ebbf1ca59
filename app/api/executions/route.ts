import { listExecutions } from "@/lib/executions/list";
import { encodeCursor, listQueryString, parseListRequest } from "@/lib/executions/list-filter";
import { listedExecutionJson } from "@/lib/exports/execution-overview";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions`: the history as JSON, with the list page's filters and cursors
 * (agent, status, outcome, range, from, to, id, sort, dir, after, before, limit ≤ 100). Session cookie auth.
 */
export const GET = route({ access: "member", signInTo: "list executions" }, async ({ caller, request }) => {
  const parsed = parseListRequest(new URL(request.url).searchParams);
  if (!parsed.ok) return parsed;
  const page = await listExecutions(caller, parsed);
  const link = (position: { after?: typeof page.next; before?: typeof page.prev }) => `/api/executions${listQueryString(parsed.filter, { ...position, limit: parsed.limit })}`;
  return Response.json({
    executions: page.rows.map(listedExecutionJson),
    page: {
      next: page.next ? { cursor: encodeCursor(page.next), url: link({ after: page.next }) } : null,
      prev: page.prev ? { cursor: encodeCursor(page.prev), url: link({ before: page.prev }) } : null,
    },
  });
});
