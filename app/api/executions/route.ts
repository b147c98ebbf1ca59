import { startAndDispatch } from "@/inngest/start-run";
import { listExecutions } from "@/lib/executions/list";
import { encodeCursor, listQueryString, parseListRequest } from "@/lib/executions/list-filter";
import { listedExecutionJson } from "@/lib/exports/execution-overview";
import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions`: the history as JSON, with the list page's filters and cursors
 * (agent, status, outcome, range, from, to, id, q, sort, dir, after, before, limit ≤ 100). Session cookie auth.
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

/**
 * `POST /api/executions`: starts a run, `{ agentId, settings, maxCredits?, rerunOf? }`, with
 * the run form's checks (settings, store connection, items in scope, balance) and its
 * idempotency rule: the same `Idempotency-Key` header (or `requestId`) from the same person
 * answers the run the first request started instead of starting another. A keyed start answers
 * 200 every time, the first included, so a retry sees the answer the first request got
 * (`isRepeat` tells them apart); an unkeyed one answers 201.
 */
export const POST = route({ access: "member", signInTo: "start executions", token: "apply" }, async ({ caller, request }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const key = request.headers.get("idempotency-key");
  const body = key && read.body && typeof read.body === "object" ? { ...read.body, requestId: key } : read.body;
  const isKeyed = Boolean(body && typeof body === "object" && "requestId" in body && body.requestId);
  const started = await startAndDispatch(caller, body);
  if (!started.ok) return started;
  return Response.json({ executionId: started.executionId, isRepeat: started.isRepeat, url: `/api/executions/${started.executionId}/progress` }, { status: isKeyed ? 200 : 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
