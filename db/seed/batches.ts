import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";

/**
 * Inserts many rows, a thousand per statement. Each statement sends its rows as one JSON
 * parameter that PostgreSQL unpacks with the table's own row type: with one bind parameter
 * per value (drizzle's `values()`), building and parsing ~100k rows took most of the seed's
 * time on PGlite and PostgreSQL alike. Rows are inserted in the order given, so bigserial
 * ids follow it.
 */
export async function insertInBatches<T extends PgTable>(db: DbOrTx, table: T, rows: T["$inferInsert"][], rowsPerStatement = 1000): Promise<void> {
  if (rows.length === 0) return;
  const t0 = Date.now();
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => rows.some((row) => (row as Record<string, unknown>)[key] !== undefined));
  for (const [key, column] of columns) {
    const isMissingSomewhere = rows.some((row) => (row as Record<string, unknown>)[key] === undefined);
    // A missing value becomes NULL here, not the column's default as in drizzle's values().
    if (isMissingSomewhere && (column.notNull || column.hasDefault)) {
      throw new Error(`insertInBatches(${getTableName(table)}): some rows leave "${key}" out; give it in every row`);
    }
  }
  const names = sql.join(columns.map(([, column]) => sql.identifier(column.name)), sql`, `);
  const rowType = sql.identifier(getTableName(table));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of columns) record[column.name] = (row as Record<string, unknown>)[key] ?? null;
      return record;
    });
    await db.execute(sql`
      insert into ${table} (${names})
      select ${names} from json_populate_recordset(null::${rowType}, ${JSON.stringify(chunk)}::json) with ordinality
      order by ordinality`);
  }
  console.log('PROF', getTableName(table), rows.length, Date.now() - t0);
}
