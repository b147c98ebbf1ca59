import { z } from "zod";
import { failure, type Outcome } from "@/lib/outcome";

/**
 * How every list keeps its state in the URL (history, ledger, audit log, archived, the run
 * page's log and results): reading a query string, checking it with the list's zod schema,
 * and writing links back. Dates are UTC days (YYYY-MM-DD, both ends inclusive), filtered in
 * SQL by `withinUtcDays` (./utc-days.ts). Runs in the browser too (filter bars build links),
 * so it imports no server code.
 */

/** A page's `searchParams`, as Next.js hands them over. */
export type SearchParams = Record<string, string | string[] | undefined>;
/** A query string as a route handler gets it (URLSearchParams) or a page does (its searchParams). */
export type QueryParams = URLSearchParams | SearchParams;

/** Control characters (NUL and the like, not tab or newline): no list searches for them, and PostgreSQL refuses NUL in text. */
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text as a person can have typed it: control characters dropped. */
function withoutControlCharacters(text: string): string {
  return text.replace(controlCharacters, "");
}

/** Whether text holds a control character: a JSON body's filter, which no URL reading cleaned, is refused with a sentence. */
export function hasControlCharacters(text: string): boolean {
  return withoutControlCharacters(text) !== text;
}

/** Every value given for `key`, in order, without control characters, trimmed, empty ones left out. */
export function queryValues(params: QueryParams, key: string): string[] {
  const values = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
  return values.map((value) => withoutControlCharacters(value).trim()).filter(Boolean);
}

/** The first value given for `key`, or undefined when it is missing or empty. */
export function queryValue(params: QueryParams, key: string): string | undefined {
  return queryValues(params, key)[0];
}

/** Every value of a list parameter, repeated (`?agent=a&agent=b`) or comma-separated (`?agent=a,b`). */
export function queryList(params: QueryParams, key: string): string[] {
  return queryValues(params, key).flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean);
}

/** The first value of each of `keys`: what a schema of single values reads. */
export function queryFields<K extends string>(params: QueryParams, keys: readonly K[]): Record<K, string | undefined> {
  return Object.fromEntries(keys.map((key) => [key, queryValue(params, key)])) as Record<K, string | undefined>;
}

type QueryValue = string | number | readonly string[] | null | undefined;

/** A query string (`?a=1&b=x&b=y`, or "" when empty): a list repeats its key, an empty value is left out. */
export function queryString(values: Record<string, QueryValue>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const each of typeof value === "object" && value !== null ? value : [value]) if (each !== null && each !== undefined && each !== "") query.append(key, String(each));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** A page's searchParams as URLSearchParams, every value in order: what its links are built from. */
export function searchParamsOf(params: QueryParams): URLSearchParams {
  if (params instanceof URLSearchParams) return params;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const each of [value ?? []].flat()) query.append(key, each);
  return query;
}

/** The current query string with some keys replaced (null removes one) and the others kept as they are. */
export function withQuery(params: QueryParams, changes: Record<string, QueryValue>): string {
  const kept: Record<string, string[]> = {};
  for (const [key, value] of searchParamsOf(params)) if (!(key in changes)) kept[key] = [...(kept[key] ?? []), value];
  return queryString({ ...kept, ...changes });
}

/** The years a date in a URL may name: Runlog's data lies well within them, and PostgreSQL accepts every day of them. */
const saneYears = { first: 2000, last: 2100 };

function isSaneYear(year: number): boolean {
  return year >= saneYears.first && year <= saneYears.last;
}

/** A UTC calendar day as the date fields write it; the one date rule of every list. */
const utcDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), "That date does not exist.")
  .refine((value) => isSaneYear(Number(value.slice(0, 4))), `Use a date between ${saneYears.first} and ${saneYears.last}.`);

/**
 * Whether a page position's time is one PostgreSQL reads as this app writes it: an ISO or
 * PostgreSQL timestamp (`2026-03-31T12:00:00.123456Z`, `2026-03-31 12:00:00.123456+00`) of a
 * day that exists, in a sane year. Checked before any query, so a forged cursor gets a sentence.
 */
export function isSaneTimestamp(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/.exec(text);
  if (!match) return false;
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.map((part) => Number(part ?? 0)) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  // PostgreSQL refuses a time zone offset past ±15:59 ("time zone displacement out of range").
  const isSaneOffset = offsetHours! <= 15 && offsetMinutes! < 60;
  return isSaneYear(year!) && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day && hour! < 24 && minute! < 60 && second! < 60 && isSaneOffset;
}

export type DayRange = { from: string | null; to: string | null };

/** `from` and `to` of a list's filter: UTC days, both optional, both inclusive. */
export const dayRangeFields = { from: utcDay.nullable().default(null), to: utcDay.nullable().default(null) };

export const reversedDaysMessage = "The start date is after the end date.";

/** Whether a range's start comes no later than its end (a schema's `.refine`). */
export function isInOrder(range: Partial<DayRange>): boolean {
  return !(range.from && range.to && range.from > range.to);
}

const fieldLabels: Record<string, string> = { from: "From date: ", to: "To date: " };

/**
 * Checks a list's values with its schema: the parsed value, or the first problem as one
 * sentence (naming the date field it is about) in an `invalid_input` failure.
 */
export function parseQuery<S extends z.ZodType>(schema: S, values: unknown): Outcome<{ value: z.output<S> }> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return failure("invalid_input", `${fieldLabels[String(issue.path[0] ?? "")] ?? ""}${issue.message}`);
}

/** A page size (`limit`): a whole number from 1 to `max`, `fallback` when the URL gives none. */
export function pageSizeField(max: number, fallback: number) {
  const outOfRange = `Page size must be between 1 and ${max}.`;
  return z.coerce.number({ error: "Page size must be a number." }).int("Page size must be a whole number.").min(1, outOfRange).max(max, outOfRange).default(fallback);
}

const stalePageMessage = "The page link is not valid any more; start again from the first page.";

/**
 * A page position (`after`, `before`) as its list's `decode` reads it: null when the URL has
 * none, a failure when it has one that is not (or no longer) a position of this list.
 */
export function readPosition<C>(params: QueryParams, key: string, decode: (token: string) => C | null): Outcome<{ position: C | null }> {
  const token = queryValue(params, key);
  if (token === undefined) return { ok: true, position: null };
  const position = decode(token);
  return position === null ? failure("invalid_input", stalePageMessage) : { ok: true, position };
}

/** Text as an opaque page token: base64url of its UTF-8 bytes, without padding. */
export function encodePageToken(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The text of a page token, or null when it is not one. */
export function decodePageToken(token: string): string | null {
  try {
    const binary = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return null;
  }
}
