import { and, asc, desc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { creditsKey, durationMsKey, executions, users, workflows, type Execution, type ExecutionStatus } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import type { RunContents } from "@/lib/exports/formats";
import { readRunContents, runContentsColumns } from "@/lib/exports/run-contents";
import { withinUtcDays } from "@/lib/url-state/utc-days";
import { allowedStatuses, idInSearch, idRange, presetStart, statuses, type Cursor, type ListFilter, type ListRequest, type SortColumn } from "./list-filter";
import { isLive } from "./permissions";
import { matchesSearch } from "./search";
import { visibleExecutionIds, type Direction } from "./visibility";

/**
 * What the history shows of a run (the page, `GET /api/executions` and the CSV): its settings,
 * scope and the engine's bookkeeping stay behind, which made reading a page of 50 rows cost
 * about twice the CPU.
 */
const listedColumns = {
  id: executions.id, workspaceId: executions.workspaceId, agentId: executions.agentId, agentVersion: executions.agentVersion, status: executions.status,
  itemsTotal: executions.itemsTotal, itemsProcessed: executions.itemsProcessed, itemsFailed: executions.itemsFailed, batchItemsDone: executions.batchItemsDone,
  creditsReserved: executions.creditsReserved, creditsCharged: executions.creditsCharged, creditsRefunded: executions.creditsRefunded,
  errorCode: executions.errorCode, errorMessage: executions.errorMessage, errorHint: executions.errorHint, preview: executions.preview,
  triggeredBy: executions.triggeredBy, workflowId: executions.workflowId, rerunOf: executions.rerunOf, cancelRequestedAt: executions.cancelRequestedAt,
  createdAt: executions.createdAt, startedAt: executions.startedAt, finishedAt: executions.finishedAt, keptAt: executions.keptAt, retentionFrom: executions.retentionFrom, archivedAt: executions.archivedAt,
};

export type ListedRun = Pick<Execution, keyof typeof listedColumns> & { triggeredByName: string | null; workflowName: string | null };
/** `contents`: what a settled run holds to download, when the caller asked for it (the page's row menus). */
export type ListedExecution = ListedRun & { cursor: Cursor; contents: RunContents | null };
export type ExecutionPage = { rows: ListedExecution[]; next: Cursor | null; prev: Cursor | null };

/**
 * Each order's key, how a cursor's text becomes a value of it, and the key as cursor text: the
 * created time to the microsecond (a JS Date would drop the last three digits and break the keyset).
 */
const sortKeys: Record<SortColumn, { key: SQL; fromText: (text: string) => SQL; asText: SQL<string> }> = {
  started: {
    key: sql`${executions.createdAt}`,
    fromText: (text) => sql`${text}::timestamptz`,
    asText: sql<string>`to_char(${executions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  },
  duration: { key: durationMsKey(executions), fromText: (text) => sql`${text}::bigint`, asText: sql<string>`${durationMsKey(executions)}::text` },
  credits: { key: creditsKey(executions), fromText: (text) => sql`${text}::integer`, asText: sql<string>`${creditsKey(executions)}::text` },
};

/** The list filter's conditions on `executions` (visibility is added by `visibleExecutionIds`). */
export function listFilterConditions(filter: ListFilter, now: Date): SQL[] {
  const conditions: SQL[] = [];
  if (filter.agents.length) conditions.push(inArray(executions.agentId, filter.agents));
  const allowed = allowedStatuses(filter);
  if (allowed) conditions.push(allowed.length ? inArray(executions.status, allowed) : sql`false`);
  const since = presetStart(filter.range, now);
  if (since) conditions.push(gte(executions.createdAt, since));
  const days = withinUtcDays(executions.createdAt, filter);
  if (days) conditions.push(days);
  for (const id of [filter.id, filter.q && idInSearch(filter.q)]) {
    if (!id) continue;
    const { lowest, highest } = idRange(id);
    conditions.push(sql`${executions.id} between ${lowest}::uuid and ${highest}::uuid`);
  }
  if (filter.q && !idInSearch(filter.q)) conditions.push(matchesSearch(filter.q));
  return conditions;
}

/** Rows past the cursor in the walk's direction: "older" is further down the list as sorted. */
function keysetCondition(sort: SortColumn, cursor: Cursor, direction: Direction): SQL {
  const key = sql`(${sortKeys[sort].key}, ${executions.id})`;
  const at = sql`(${sortKeys[sort].fromText(cursor.key)}, ${cursor.id}::uuid)`;
  return direction === "older" ? sql`${key} < ${at}` : sql`${key} > ${at}`;
}

/** The contents' columns when they are not asked for: constants, so the page's select keeps its shape. */
const noContents = {
  resultsWithScores: sql<boolean | null>`null::boolean`,
  hasRecommendations: sql<boolean>`false`,
  hasActionItems: sql<boolean>`false`,
  hasItems: sql<boolean>`false`,
};

/**
 * One page of the history, newest first (or by duration or credits, either way), by keyset
 * on (sort key, id): 50 rows cost the same on page 1 and page 1,000, and every order is an
 * index walk. `after` walks down the list, `before` back up it. `withContents` adds what each
 * settled run holds to download (four index probes per row, in the same statement).
 */
export async function listExecutions(ctx: Ctx, { filter, page, limit }: ListRequest, { now = new Date(), withContents = false } = {}): Promise<ExecutionPage> {
  const isAscending = filter.sort.direction === "asc";
  // Walking down an ascending list is walking the index backwards.
  const walk: Direction = page.before ? "newer" : "older";
  const direction: Direction = isAscending === (walk === "newer") ? "older" : "newer";
  const sort = sortKeys[filter.sort.by];
  const cursor = page.before ?? page.after;
  const conditions = [...listFilterConditions(filter, now), ...(cursor ? [keysetCondition(filter.sort.by, cursor, direction)] : [])];
  const order = direction === "older" ? [desc(sort.key), desc(executions.id)] : [asc(sort.key), asc(executions.id)];
  const db = await getDb();
  const fetched = await db
    .select({ execution: listedColumns, cursorAt: sort.asText, triggeredByName: users.name, workflowName: workflows.name, contents: withContents ? runContentsColumns : noContents })
    .from(executions)
    .leftJoin(users, eq(users.id, executions.triggeredBy))
    .leftJoin(workflows, eq(workflows.id, executions.workflowId))
    // The page's ids as one array: the planner then fetches those rows by primary key. As
    // `id in (…)` it would rather hash the page against every run of a small workspace.
    .where(and(eq(executions.workspaceId, ctx.workspaceId), sql`${executions.id} = any(array(${visibleExecutionIds(ctx, conditions, direction, limit + 1, sort.key)}))`))
    .orderBy(...order)
    .limit(limit + 1);
  const hasMore = fetched.length > limit;
  const shown = fetched.slice(0, limit);
  if (walk === "newer") shown.reverse();
  const rows = shown.map(({ execution, cursorAt: key, triggeredByName, workflowName, contents }) => ({
    ...execution,
    triggeredByName,
    workflowName,
    cursor: { key, id: execution.id },
    contents: withContents && !isLive(execution) ? readRunContents(contents) : null,
  }));
  const first = rows[0]?.cursor ?? null;
  const last = rows.at(-1)?.cursor ?? null;
  return walk === "older"
    ? { rows, next: hasMore ? last : null, prev: page.after ? first : null }
    : { rows, next: last, prev: hasMore ? first : null };
}

export type StatusCount = { status: ExecutionStatus; count: number; isCapped: boolean };

/**
 * How many runs of each status match the filter, counted up to `cap` each: an exact figure
 * for everyday numbers and "1,000+" beyond, so a million-row workspace never pays for a full count.
 */
export async function countByStatus(ctx: Ctx, filter: ListFilter, cap = 1000, now = new Date()): Promise<StatusCount[]> {
  const allowed = allowedStatuses(filter) ?? statuses;
  if (!allowed.length) return [];
  const base = listFilterConditions({ ...filter, statuses: [], outcome: null }, now);
  // One statement: the capped count is planned once with the status as a parameter, then
  // run for each status, rather than planned and sent once per status.
  const wanted = sql`(values ${sql.join(allowed.map((status) => sql`(${status}::execution_status)`), sql`, `)}) as wanted(status)`;
  const ids = visibleExecutionIds(ctx, [...base, sql`${executions.status} = wanted.status`], null, cap + 1);
  const db = await getDb();
  const rows = await db
    .select({ status: sql<ExecutionStatus>`wanted.status`, n: sql<number>`(select count(*)::int from (${ids}) as capped)` })
    .from(wanted);
  const byStatus = new Map(rows.map((row) => [row.status, row.n]));
  return allowed.map((status) => {
    const n = byStatus.get(status) ?? 0;
    return { status, count: Math.min(n, cap), isCapped: n > cap };
  });
}
