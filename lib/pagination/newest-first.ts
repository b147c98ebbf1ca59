import { and, desc, eq, lt, or, sql, type InferSelectModel, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { Outcome } from "@/lib/outcome";
import { decodePageToken, encodePageToken, isSaneTimestamp, parseQuery, queryFields, readPosition, type QueryParams } from "@/lib/url-state/params";

/**
 * Keyset pages of an append-only log read newest first (the credit ledger, the audit log):
 * positions on (time, bigint id), each row with the name of the person it is about. The time
 * is kept as PostgreSQL writes it (microseconds), since a JS Date would round it and skip or
 * repeat rows at a page's edge.
 */
export type TimeIdCursor = { at: string; id: number };

export function encodeTimeIdCursor(cursor: TimeIdCursor): string {
  return encodePageToken(JSON.stringify([cursor.at, cursor.id]));
}

export function decodeTimeIdCursor(token: string): TimeIdCursor | null {
  try {
    const [at, id, ...rest] = JSON.parse(decodePageToken(token) ?? "null") as unknown[];
    if (rest.length || typeof at !== "string" || !isSaneTimestamp(at) || !Number.isSafeInteger(id) || (id as number) < 0) return null;
    return { at, id: id as number };
  } catch {
    return null;
  }
}

/** A log's filter and the position its page starts after (null: the newest entries). */
export type NewestFirstRequest<F> = { filter: F; after: TimeIdCursor | null };

/**
 * Reads a log's filter (a single value for each of `schema`'s keys) and its `after` position from a
 * query string, or says in one sentence what is wrong with them.
 */
export function parseNewestFirstRequest<S extends z.ZodObject>(schema: S, params: QueryParams): Outcome<NewestFirstRequest<z.output<S>>> {
  const parsed = parseQuery(schema, queryFields(params, Object.keys(schema.shape)));
  if (!parsed.ok) return parsed;
  const after = readPosition(params, "after", decodeTimeIdCursor);
  if (!after.ok) return after;
  return { ok: true, filter: parsed.value, after: after.position };
}

type LogTable = PgTable & { at: PgColumn; id: PgColumn };
export type NewestFirstPage<Row> = { rows: Row[]; next: TimeIdCursor | null };

/**
 * One page of `table`'s rows that match `where`, newest first, after `after`; each row with
 * the name of the person in its `person` column. `next` continues after the last row.
 */
export async function newestFirstPage<T extends LogTable>(
  table: T,
  options: { where: SQL; person: PgColumn; after: TimeIdCursor | null; limit: number },
): Promise<NewestFirstPage<{ entry: InferSelectModel<T>; personName: string | null }>> {
  const { at, id } = table;
  const db = await getDb();
  const position = options.after ? olderThan(at, id, options.after) : undefined;
  const fetched = (await db
    .select({ entry: table as PgTable, personName: users.name, atText: sql<string>`${at}::text`, entryId: id })
    .from(table as PgTable)
    .leftJoin(users, eq(users.id, options.person))
    .where(and(options.where, position))
    .orderBy(desc(at), desc(id))
    .limit(options.limit + 1)) as { entry: InferSelectModel<T>; personName: string | null; atText: string; entryId: number }[];
  const shown = fetched.slice(0, options.limit);
  const last = fetched.length > options.limit ? shown.at(-1)! : null;
  return { rows: shown.map(({ entry, personName }) => ({ entry, personName })), next: last ? { at: last.atText, id: last.entryId } : null };
}

/** Rows after the cursor in newest-first order. */
function olderThan(at: PgColumn, id: PgColumn, cursor: TimeIdCursor): SQL {
  const time = sql`${cursor.at}::timestamptz`;
  return or(lt(at, time), and(eq(at, time), lt(id, cursor.id)))!;
}
