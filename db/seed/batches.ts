import type { PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "@/db/client";

/**
 * Inserts many rows in multi-row statements, sized to stay under the 65,534 bind
 * parameters that PostgreSQL (and PGlite) accept in one statement.
 */
export async function insertInBatches<T extends PgTable>(tx: Tx, table: T, rows: T["$inferInsert"][]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Math.max(1, Object.keys(rows[0]!).length);
  const size = Math.max(1, Math.min(2000, Math.floor(60_000 / columns)));
  for (let start = 0; start < rows.length; start += size) {
    await tx.insert(table).values(rows.slice(start, start + size));
    await yieldToRequests();
  }
}

/**
 * Embedded PGlite runs each statement on this process's thread: the seed lets requests through
 * between its statements, so a first start that loads the demo workspace answers them (with
 * its 503) meanwhile instead of leaving them waiting.
 */
export function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
