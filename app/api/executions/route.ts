import { agentName } from "@/lib/agents/catalog";
import { listExecutions } from "@/lib/executions/list";
import { encodeCursor, listQueryString, parseListRequest } from "@/lib/executions/list-filter";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions`: the history as JSON, with the list page's filters and cursors
 * (agent, status, outcome, range, from, to, after, before, limit ≤ 100). Session cookie auth.
 */
export const GET = route({ access: "member", signInTo: "list executions" }, async ({ caller, request }) => {
  const parsed = parseListRequest(new URL(request.url).searchParams);
  if ("message" in parsed) return parsed;
  const page = await listExecutions(caller, parsed);
  const link = (position: { after?: typeof page.next; before?: typeof page.prev }) => {
    const query = new URLSearchParams(listQueryString(parsed.filter, position).slice(1));
    if (parsed.limit !== 50) query.set("limit", String(parsed.limit));
    return `/api/executions?${query}`;
  };
  return Response.json({
    executions: page.rows.map((row) => ({
      id: row.id,
      agentId: row.agentId,
      agentName: agentName(row.agentId),
      agentVersion: row.agentVersion,
      status: row.status,
      triggeredBy: row.workflowName ? { workflow: row.workflowName } : { user: row.triggeredByName },
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
      durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
      items: { total: row.itemsTotal, processed: row.itemsProcessed, failed: row.itemsFailed },
      credits: { reserved: row.creditsReserved, charged: row.creditsCharged, refunded: row.creditsRefunded },
      preview: row.preview,
      error: row.errorCode ? { code: row.errorCode, message: row.errorMessage, hint: row.errorHint } : null,
      rerunOf: row.rerunOf,
    })),
    page: {
      next: page.next ? { cursor: encodeCursor(page.next), url: link({ after: page.next }) } : null,
      prev: page.prev ? { cursor: encodeCursor(page.prev), url: link({ before: page.prev }) } : null,
    },
  });
});
