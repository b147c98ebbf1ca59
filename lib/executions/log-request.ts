import { z } from "zod";
import type { Outcome } from "@/lib/outcome";
import { pageSizeField, parseQuery, queryFields, withQuery, type QueryParams } from "@/lib/url-state/params";

/**
 * Which part of an execution's processing log to show, and which of its items with issues,
 * as they live in a URL. The JSON API (`GET /api/executions/[id]/log`) reads the plain names
 * (`after`, `before`, `level`, `limit`); the detail page shares its query string with other
 * sections, so there the same values carry a prefix (`logAfter`, `logBefore`, `logLevel`,
 * `issues`, `issuesAfter`). Positions are line numbers (`seq`): `after` walks forward from a
 * line, `before` back from one.
 */
export const logLevelFilters = {
  all: "All lines",
  warn: "Warnings and errors",
  error: "Errors",
} as const;
export type LogLevelFilter = keyof typeof logLevelFilters;

export type LogRequest = { after: number | null; before: number | null; level: LogLevelFilter; limit: number };
export type ItemIssuesRequest = { text: string | null; after: number | null; limit: number };

export const logPageSize = 200;
/** The run page shows the log 50 lines at a time, so the Log tab stays about a screen or two long. */
const logPageSizeOnPage = 50;
const maxLogPageSize = 1000;
const itemIssuesPageSize = 25;

const linePosition = z.coerce
  .number({ error: "A log position is a line number, like 200." })
  .int("A log position is a whole line number, like 200.")
  .min(0, "A log position is 0 or more.")
  .max(2_147_483_647, "That log position is past the end of any log.");

export const logRequestSchema = z
  .object({
    after: linePosition.optional(),
    before: linePosition.optional(),
    level: z.enum(Object.keys(logLevelFilters) as [LogLevelFilter, ...LogLevelFilter[]], { error: "Level is all, warn (warnings and errors) or error." }).default("all"),
    limit: pageSizeField(maxLogPageSize, logPageSize),
  })
  .refine((r) => r.after === undefined || r.before === undefined, { message: "Give one position, after or before, not both.", path: ["after"] });

const itemIssuesSchema = z.object({
  text: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
  after: z.coerce.number({ error: "The item position must be a number." }).int("The item position must be a whole number.").min(0, "The item position must be 0 or more.").max(2_147_483_647, "That item position is past the end of any run.").optional(),
  limit: pageSizeField(200, itemIssuesPageSize),
});

/** Reads the API's plain names (`after`, `before`, `level`, `limit`); a mistake answers one sentence naming it. */
export function parseLogRequest(params: QueryParams): Outcome<LogRequest> {
  return logRequestOf(queryFields(params, ["after", "before", "level", "limit"]));
}

export function parseItemIssuesRequest(params: QueryParams): Outcome<ItemIssuesRequest> {
  const { text, after } = queryFields(params, ["text", "after"]);
  return itemIssuesRequestOf(text, after);
}

/** The detail page's log position (`logAfter`, `logBefore`, `logLevel`), a page of its size. */
export function logRequestFromPage(params: QueryParams): Outcome<LogRequest> {
  const { logAfter, logBefore, logLevel } = queryFields(params, ["logAfter", "logBefore", "logLevel"]);
  return logRequestOf({ after: logAfter, before: logBefore, level: logLevel, limit: String(logPageSizeOnPage) });
}

/** The detail page's items-with-issues search (`issues`, `issuesAfter`). */
export function itemIssuesRequestFromPage(params: QueryParams): Outcome<ItemIssuesRequest> {
  const { issues, issuesAfter } = queryFields(params, ["issues", "issuesAfter"]);
  return itemIssuesRequestOf(issues, issuesAfter);
}

function logRequestOf(values: Record<keyof LogRequest, string | undefined>): Outcome<LogRequest> {
  const parsed = parseQuery(logRequestSchema, values);
  if (!parsed.ok) return parsed;
  const { after, before, level, limit } = parsed.value;
  return { ok: true, after: after ?? null, before: before ?? null, level, limit };
}

function itemIssuesRequestOf(text: string | undefined, after: string | undefined): Outcome<ItemIssuesRequest> {
  const parsed = parseQuery(itemIssuesSchema, { text, after });
  if (!parsed.ok) return parsed;
  return { ok: true, text: parsed.value.text || null, after: parsed.value.after ?? null, limit: parsed.value.limit };
}

type LogPosition = { after?: number | null; before?: number | null; level?: LogLevelFilter };

/**
 * The detail page's query string with the log moved to `position`: other sections' values
 * stay as they are, the log's own are replaced, and the default level is left out.
 */
export function logPageQuery(current: URLSearchParams, position: LogPosition): string {
  const level = position.level === undefined ? {} : { logLevel: position.level === "all" ? null : position.level };
  return withQuery(current, { logAfter: position.after ?? null, logBefore: position.before ?? null, ...level });
}

/** The detail page's query string with the items-with-issues list at `after`, keeping its search. */
export function itemIssuesPageQuery(current: URLSearchParams, after: number | null): string {
  return withQuery(current, { issuesAfter: after });
}

/** The page's values other than the items search: what its search form carries along. */
export function keptByItemIssuesSearch(current: URLSearchParams): [string, string][] {
  return [...current].filter(([key]) => key !== "issues" && key !== "issuesAfter");
}

/** Where the log shows line `seq` with a few lines before it, all levels: the link from troubleshooting. */
export function logLineQuery(current: URLSearchParams, seq: number): string {
  return logPageQuery(current, { after: Math.max(0, seq - 11), level: "all" });
}

export const logLineAnchor = (seq: number) => `log-line-${seq}`;
