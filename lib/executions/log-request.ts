import { z } from "zod";
import { failure, type Failure } from "@/lib/outcome";

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

type RawValues = Record<string, string | undefined>;
export type PageParams = Record<string, string | string[] | undefined>;

const linePosition = z.coerce
  .number({ error: "A log position is a line number, like 200." })
  .int("A log position is a whole line number, like 200.")
  .min(0, "A log position is 0 or more.")
  .max(2_147_483_647, "That log position is past the end of any log.");

const logRequestSchema = z
  .object({
    after: linePosition.optional(),
    before: linePosition.optional(),
    level: z.enum(Object.keys(logLevelFilters) as [LogLevelFilter, ...LogLevelFilter[]], { error: "Level is all, warn (warnings and errors) or error." }).default("all"),
    limit: z.coerce
      .number({ error: "Page size must be a number." })
      .int("Page size must be a whole number.")
      .min(1, `Page size must be between 1 and ${maxLogPageSize}.`)
      .max(maxLogPageSize, `Page size must be between 1 and ${maxLogPageSize}.`)
      .default(logPageSize),
  })
  .refine((r) => r.after === undefined || r.before === undefined, { message: "Give one position, after or before, not both.", path: ["after"] });

const itemIssuesSchema = z.object({
  text: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
  after: z.coerce.number({ error: "The item position must be a number." }).int("The item position must be a whole number.").min(0, "The item position must be 0 or more.").optional(),
  limit: z.coerce.number({ error: "Page size must be a number." }).int("Page size must be a whole number.").min(1, "Page size must be between 1 and 200.").max(200, "Page size must be between 1 and 200.").default(itemIssuesPageSize),
});

/** Every rule above says its whole sentence, so the first one is the answer. */
function firstIssue(error: z.ZodError): string {
  return error.issues[0]!.message;
}

/** Parses the plain-named values; a mistake answers one sentence naming it. */
export function parseLogRequest(values: RawValues): LogRequest | Failure {
  const parsed = logRequestSchema.safeParse(blankAsMissing(values));
  if (!parsed.success) return failure("invalid_input", firstIssue(parsed.error));
  const { after, before, level, limit } = parsed.data;
  return { after: after ?? null, before: before ?? null, level, limit };
}

export function parseItemIssuesRequest(values: RawValues): ItemIssuesRequest | Failure {
  const parsed = itemIssuesSchema.safeParse(blankAsMissing(values));
  if (!parsed.success) return failure("invalid_input", firstIssue(parsed.error));
  const { text, after, limit } = parsed.data;
  return { text: text || null, after: after ?? null, limit };
}

function one(params: PageParams, key: string): string | undefined {
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

export function logRequestFromPage(params: PageParams): LogRequest | Failure {
  return parseLogRequest({ after: one(params, "logAfter"), before: one(params, "logBefore"), level: one(params, "logLevel"), limit: String(logPageSizeOnPage) });
}

export function itemIssuesRequestFromPage(params: PageParams): ItemIssuesRequest | Failure {
  return parseItemIssuesRequest({ text: one(params, "issues"), after: one(params, "issuesAfter") });
}

/** The page's `searchParams` as a query string to build links from. */
export function searchParamsOf(params: PageParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const each of [value ?? []].flat()) query.append(key, each);
  return query;
}

type LogPosition = { after?: number | null; before?: number | null; level?: LogLevelFilter };

/**
 * The detail page's query string with the log moved to `position`: other sections' values
 * stay as they are, the log's own are replaced, and the default level is left out.
 */
export function logPageQuery(current: URLSearchParams, position: LogPosition): string {
  const next = new URLSearchParams(current);
  for (const key of ["logAfter", "logBefore"] as const) next.delete(key);
  if (position.after !== undefined && position.after !== null) next.set("logAfter", String(position.after));
  if (position.before !== undefined && position.before !== null) next.set("logBefore", String(position.before));
  if (position.level !== undefined) {
    if (position.level === "all") next.delete("logLevel");
    else next.set("logLevel", position.level);
  }
  const text = next.toString();
  return text ? `?${text}` : "";
}

/** The detail page's query string with the items-with-issues list at `after`, keeping its search. */
export function itemIssuesPageQuery(current: URLSearchParams, after: number | null): string {
  const next = new URLSearchParams(current);
  if (after === null) next.delete("issuesAfter");
  else next.set("issuesAfter", String(after));
  const text = next.toString();
  return text ? `?${text}` : "";
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

function blankAsMissing(values: RawValues): RawValues {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value === "" ? undefined : value]));
}
