/**
 * Multi-row inserts that send their rows as one JSON parameter, expanded in SQL by
 * `jsonb_to_recordset`. A `values` list costs a bind parameter per cell, and at tens of
 * thousands of cells per statement, building and binding them outweighed the insert
 * itself (most of all on PGlite).
 */
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { executeRows, type DbOrTx } from "./client";

type Options = {
  /** `on conflict do nothing`: rows that collide with a unique key are skipped. */
  onConflictDoNothing?: boolean;
  /** Columns to return from the inserted rows, as the driver reads them. */
  returning?: PgColumn[];
};

/**
 * Inserts `rows` in one statement. A column that any row sets is written for every row,
 * as NULL where a row leaves it out; columns no row sets take their defaults.
 */
export async function insertJsonRows<T extends PgTable>(tx: DbOrTx, table: T, rows: T["$inferInsert"][], options: Options = {}): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((key) => all[key]);
  const columns = keys.map((key) => all[key]!);
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [n, key] of keys.entries()) {
      const value = (row as Record<string, unknown>)[key];
      const column = columns[n]!;
      // json columns nest the value itself; the others take the driver's form of it, with
      // lone surrogates replaced as a driver's UTF-8 encoding would (JSON input rejects them).
      const driverValue = value == null || column.dataType === "json" ? (value ?? null) : column.mapToDriverValue(value);
      record[column.name] = typeof driverValue === "string" ? driverValue.toWellFormed() : driverValue;
    }
    return record;
  });
  const names = sql.join(columns.map((column) => sql.identifier(column.name)), sql`, `);
  const definitions = sql.raw(columns.map((column) => `"${column.name}" ${column.getSQLType()}`).join(", "));
  const conflict: SQL | undefined = options.onConflictDoNothing ? sql` on conflict do nothing` : undefined;
  const returning: SQL | undefined = options.returning?.length
    ? sql` returning ${sql.join(options.returning.map((column) => sql.identifier(column.name)), sql`, `)}`
    : undefined;
  return executeRows<Record<string, unknown>>(
    tx,
    sql`insert into ${sql.identifier(getTableName(table))} (${names}) select ${names} from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${definitions})${conflict}${returning}`,
  );
}
