import { z } from "zod";
import type { ExecutionStatus } from "@/db/schema";
import { agentCatalog, agentIds, type AgentId } from "@/lib/agents/catalog";
import type { Outcome } from "@/lib/outcome";
import {
  dayRangeFields, decodePageToken, encodePageToken, isInOrder, isSaneTimestamp, pageSizeField, parseQuery, queryFields, queryList, queryString, readPosition, reversedDaysMessage, type QueryParams,
} from "@/lib/url-state/params";

/**
 * The history list's filters and page position as they live in the URL (and in
 * `GET /api/executions`): `agent` and `status` repeat, `outcome` is success or failure,
 * `range` is a preset or custom dates `from`/`to` (YYYY-MM-DD, UTC days, both inclusive),
 * `id` an execution ID or its start, `q` words to search the runs for (lib/executions/search.ts),
 * `after`/`before` are opaque cursors, `limit` a page size. Runs in the browser too (the
 * filter bar writes the same query strings), so it imports no server code.
 */
// Naming each status as a key fails to compile if the database gains one this list lacks.
const everyStatus: Record<ExecutionStatus, true> = { queued: true, running: true, completed: true, failed: true, canceled: true, partial: true };
/** Every status, in the order the filter offers them. */
export const statuses = Object.keys(everyStatus) as ExecutionStatus[];
export const rangePresets = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" } as const;
export type RangePreset = keyof typeof rangePresets;
type RunOutcome = "success" | "failure";
const outcomeStatuses: Record<RunOutcome, ExecutionStatus[]> = { success: ["completed"], failure: ["failed", "partial"] };

/** The orders the list offers, each one an index walk (migrations 0010 and 0011 for duration and credits). */
const sortColumns = { started: "Started", duration: "Duration", credits: "Credits" } as const;
export type SortColumn = keyof typeof sortColumns;
export type SortOrder = { by: SortColumn; direction: "desc" | "asc" };
export const defaultSort: SortOrder = { by: "started", direction: "desc" };

export type ListFilter = {
  agents: AgentId[];
  statuses: ExecutionStatus[];
  outcome: RunOutcome | null;
  range: RangePreset | null;
  from: string | null;
  to: string | null;
  /** An execution ID, or its first characters (8 at least), without or with its dashes. */
  id: string | null;
  /** Words to find in the runs' results, logs, items and errors, or an execution ID or its start. */
  q: string | null;
  sort: SortOrder;
};

/**
 * A row's place in the order: its sort key as text (the created time to the microsecond, or
 * a duration in ms or a credit count), then its id.
 */
export type Cursor = { key: string; id: string };
export type PagePosition = { after: Cursor | null; before: Cursor | null };
export type ListRequest = { filter: ListFilter; page: PagePosition; limit: number };

export const emptyFilter: ListFilter = { agents: [], statuses: [], outcome: null, range: null, from: null, to: null, id: null, q: null, sort: defaultSort };
export const pageSize = 50;
const maxPageSize = 100;

const agentNames = agentIds.map((id) => agentCatalog[id].name).join(", ");
const idSearch = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}(-?[0-9a-f]){0,24}$/, "Find by ID takes an execution ID or its first 8 characters, like 3f2a9c1b.")
  .refine((value) => value.replace(/-/g, "").length <= 32, "An execution ID has 32 hex digits.");
const searchText = z
  .string()
  .trim()
  .max(200, "Search for at most 200 characters.")
  .regex(/[\p{L}\p{N}]/u, "Search for a word, a part of one or an execution ID: at least one letter or digit.");
const cursorKeys: Record<SortColumn, z.ZodType<string>> = {
  started: z.iso.datetime({ offset: false, precision: 6 }).refine(isSaneTimestamp),
  duration: z.string().regex(/^\d{1,15}$/),
  // Credits are PostgreSQL integers.
  credits: z.string().regex(/^-?\d{1,10}$/).refine((key) => Math.abs(Number(key)) <= 2_147_483_647),
};

export const listRequestSchema = z
  .object({
    agent: z.array(z.enum(agentIds as [AgentId, ...AgentId[]], { error: (issue) => `Unknown agent “${String(issue.input)}”; choose from ${agentNames}.` })).max(agentIds.length).default([]),
    status: z.array(z.enum(statuses, { error: (issue) => `Unknown status “${String(issue.input)}”; choose from ${statuses.join(", ")}.` })).max(statuses.length).default([]),
    outcome: z.enum(["success", "failure"], { error: "Outcome is success or failure." }).optional(),
    range: z.enum(["24h", "7d", "30d", "custom"], { error: "Range is 24h, 7d, 30d or custom." }).optional(),
    ...dayRangeFields,
    id: idSearch.optional(),
    q: searchText.optional(),
    sort: z.enum(Object.keys(sortColumns) as [SortColumn, ...SortColumn[]], { error: "Sort by started, duration or credits." }).optional(),
    dir: z.enum(["desc", "asc"], { error: "Order is desc (largest or newest first) or asc." }).optional(),
    after: z.string().optional(),
    before: z.string().optional(),
    limit: pageSizeField(maxPageSize, pageSize),
  })
  .refine(isInOrder, reversedDaysMessage)
  .refine((r) => !((r.from || r.to) && r.range && r.range !== "custom"), { message: "Choose a preset range or custom dates, not both.", path: ["range"] })
  .refine((r) => !(r.after && r.before), { message: "Give one page cursor, not both.", path: ["after"] });

/** Parses the URL's filters and page; a mistake answers one sentence naming it. */
export function parseListRequest(params: QueryParams): Outcome<ListRequest> {
  const parsed = parseQuery(listRequestSchema, {
    agent: queryList(params, "agent"),
    status: queryList(params, "status"),
    ...queryFields(params, ["outcome", "range", "from", "to", "id", "q", "sort", "dir", "after", "before", "limit"]),
  });
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  const sort: SortOrder = { by: r.sort ?? defaultSort.by, direction: r.dir ?? defaultSort.direction };
  const decode = (token: string) => decodeCursor(token, sort.by);
  const [after, before] = [readPosition(params, "after", decode), readPosition(params, "before", decode)];
  if (!after.ok) return after;
  if (!before.ok) return before;
  return {
    ok: true,
    filter: {
      agents: [...new Set(r.agent)],
      statuses: [...new Set(r.status)],
      outcome: r.outcome ?? null,
      range: r.range && r.range !== "custom" ? r.range : null,
      from: r.from,
      to: r.to,
      id: r.id ?? null,
      q: r.q ?? null,
      sort,
    },
    page: { after: after.position, before: before.position },
    limit: r.limit,
  };
}

/** The statuses a filter allows, or null when it allows all. Empty means nothing can match. */
export function allowedStatuses(filter: Pick<ListFilter, "statuses" | "outcome">): ExecutionStatus[] | null {
  if (!filter.outcome) return filter.statuses.length ? filter.statuses : null;
  const byOutcome = outcomeStatuses[filter.outcome];
  return filter.statuses.length ? filter.statuses.filter((s) => byOutcome.includes(s)) : byOutcome;
}

/** The start of the preset range a filter asks for (`since` now minus its hours), or null. */
export function presetStart(range: RangePreset | null, now = new Date()): Date | null {
  if (!range) return null;
  const hours = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24 }[range];
  return new Date(now.getTime() - hours * 3_600_000);
}

/**
 * The ids an ID search covers, as an inclusive range of UUIDs: a prefix of the hex digits
 * padded with 0s and with fs. Execution ids sort as their hex text does, so this is one range
 * of the primary key.
 */
export function idRange(search: string): { lowest: string; highest: string } {
  const hex = search.replace(/-/g, "");
  const asUuid = (digits: string) => `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
  return { lowest: asUuid(hex.padEnd(32, "0")), highest: asUuid(hex.padEnd(32, "f")) };
}

/** A search that is an execution ID or its first 8 characters or more: found by the ID's range rather than by words. */
export function idInSearch(q: string): string | null {
  const parsed = idSearch.safeParse(q);
  return parsed.success ? parsed.data : null;
}

export function isFiltered(filter: ListFilter): boolean {
  return filter.agents.length > 0 || filter.statuses.length > 0 || filter.outcome !== null || filter.range !== null || filter.from !== null || filter.to !== null || filter.id !== null || filter.q !== null;
}

/** The query string for a filter and page position: what links and the filter bar write. */
export function listQueryString(filter: ListFilter, page: Partial<PagePosition> & { limit?: number } = {}): string {
  return queryString({
    agent: filter.agents,
    status: filter.statuses,
    outcome: filter.outcome,
    range: filter.range ?? (filter.from || filter.to ? "custom" : null),
    from: filter.from,
    to: filter.to,
    id: filter.id,
    q: filter.q,
    sort: filter.sort.by !== defaultSort.by ? filter.sort.by : null,
    dir: filter.sort.direction !== defaultSort.direction ? filter.sort.direction : null,
    after: page.after ? encodeCursor(page.after) : null,
    before: page.before ? encodeCursor(page.before) : null,
    limit: page.limit !== undefined && page.limit !== pageSize ? page.limit : null,
  });
}

export function encodeCursor(cursor: Cursor): string {
  return encodePageToken(`${cursor.key}|${cursor.id}`);
}

function decodeCursor(token: string, sortedBy: SortColumn = defaultSort.by): Cursor | null {
  const text = token.length <= 200 ? decodePageToken(token) : null;
  if (text === null) return null;
  const [key, id, extra] = text.split("|");
  if (extra !== undefined) return null;
  const parsed = z.object({ key: cursorKeys[sortedBy], id: z.uuid() }).safeParse({ key, id });
  return parsed.success ? parsed.data : null;
}
