import { and, eq, lt, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * Keyset positions on (time, bigint id) for append-only logs read newest first (the credit
 * ledger, the audit log). The time is kept as PostgreSQL writes it (microseconds), since a
 * JS Date would round it and skip or repeat rows at a page's edge.
 */
export type TimeIdCursor = { at: string; id: number };

export function encodeTimeIdCursor(cursor: TimeIdCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

export function decodeTimeIdCursor(value: string): TimeIdCursor | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown[];
    if (typeof at !== "string" || Number.isNaN(Date.parse(at)) || !Number.isSafeInteger(id)) return null;
    return { at, id: id as number };
  } catch {
    return null;
  }
}

/** Rows after the cursor in newest-first order. */
export function olderThan(at: PgColumn, id: PgColumn, cursor: TimeIdCursor): SQL {
  const time = sql`${cursor.at}::timestamptz`;
  return or(lt(at, time), and(eq(at, time), lt(id, cursor.id)))!;
}

/** The time column as text, to build the next cursor from. */
export function timeText(at: PgColumn): SQL<string> {
  return sql<string>`${at}::text`;
}
