/**
 * The large tables of an execution (recommendations, items, log lines) as the CSV and JSON
 * downloads write them, built by the database a keyset batch at a time: each query returns
 * one text holding the batch's CSV lines (cells quoted and neutralized by the rules of
 * lib/exports/csv.ts) or its JSON objects joined by commas (in the download's schema,
 * lib/exports/execution-schema.ts), instead of the app parsing, allocating and quoting 17
 * fields per row, which made 100,000 rows cost seconds. The same query stores the batch as a
 * chunk of the report file (`runlog_store_text_chunk`, migration 0007), and the app passes on
 * the bytes as they arrive (from a server, never decoded into a JavaScript string), so they
 * cross between app and database once.
 * Several batches are built while one is passed on, and each batch is one short query (no
 * cursor, no long transaction), so PostgreSQL and PGlite run the same code.
 */
import { and, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getDatabase, type DatabaseKind } from "@/db/client";
import { executionItems, executionLogs, recommendations } from "@/db/schema";
import { fullDisclosure, logDataFor, logMessageFor, type Disclosure } from "@/lib/executions/disclosure";
import { formulaStartChars } from "./csv";
import { bridgingConnectionCuts, type ReportFileWriter } from "./report-files";

/**
 * Rows per query. On a PostgreSQL server about a quarter megabyte of text either way: larger
 * batches made it slower, not faster (each takes fresh memory several times over: the text, its
 * copy for the stored chunk, the compressed chunk, the message to the app). PGlite's memory stays
 * with the process, so there one to three megabytes, and fewer queries, cost least (JSON batches
 * twice that size were no faster and grew the app's memory by 120 MB instead of 20).
 */
const rowTextBatchSizes: Record<DatabaseKind, Record<RowTextFormat, number>> = {
  postgres: { csv: 1_000, json: 500 },
  pglite: { csv: 10_000, json: 3_000 },
};

/**
 * Batches being built while the one before them is passed on: on PostgreSQL, by as many server
 * processes, so the next batches are ready while one is stored and sent (measured best at 4 on
 * 2 cores; bench:export).
 */
const batchesInFlight = 4;

export type RowTextTable = "recommendations" | "items" | "log";
export type RowTextFormat = "csv" | "json";

/** `2026-03-31T09:15:00.000Z`, or null. */
const iso = (column: AnyColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * An enum value's label, or null, spelled out label by label: the enum's own output function
 * looks its label up in the catalog on every row, which cost more than the rest of the row.
 */
const label = (column: AnyColumn & { enumValues?: readonly string[] }) =>
  sql`case ${column} ${sql.join(column.enumValues!.map((value) => sql`when ${sqlLiteral(value)} then ${sqlLiteral(value)}`), sql` `)} end`;

/**
 * A CSV column: free text is always quoted (RFC 4180 allows quoting any field, and quoting
 * every one costs the database a `replace` where deciding costs it two regular expressions)
 * and neutralized; ids, enum values, numbers and times are written as they are, since none
 * can hold a delimiter or begin like a formula (numbers stay numbers, as in lib/exports/csv.ts).
 */
type CsvColumn = { header: string; value: SQL | AnyColumn; isText: boolean };
const text = (header: string, value: SQL | AnyColumn): CsvColumn => ({ header, value, isText: true });
const plain = (header: string, value: SQL | AnyColumn): CsvColumn => ({ header, value, isText: false });

type TableSpec = {
  table: PgTable;
  /** The order rows are written in, each key with its type (a batch's start is cast back to it). */
  keys: { column: PgColumn; type: string }[];
  ofExecution: (executionId: string) => SQL;
  csv: CsvColumn[];
  /** The row as the JSON download's schema (lib/exports/execution-schema.ts) has it, as JSON text. */
  object: SQL;
};

/*
 * Rows are written with `||` between texts: json_build_object() and, on PostgreSQL 15, concat()
 * look up how to write each argument's type on every row, which took the database twice as
 * long. Each helper gives a value's JSON text, `null` for null (never SQL NULL, which `||`
 * would spread to the whole row).
 */
/** Free text (and numbers): escaped by PostgreSQL's JSON writer. */
const jsonText = (value: SQL | AnyColumn) => sql`coalesce(to_json(${value})::text, 'null')`;
/** A value whose text never needs escaping (uuid, enum label, ISO 8601 time), in quotes. */
const token = (value: SQL | AnyColumn) => sql`coalesce('"' || ${value}::text || '"', 'null')`;
/** A value that is JSON already (jsonb, integer). */
const json = (value: SQL | AnyColumn) => sql`coalesce(${value}::text, 'null')`;
/** `{"key":value,…}` from the keys (written in code, not from data) and their values' JSON text. */
function jsonObject(fields: [key: string, value: SQL][]): SQL {
  const parts = fields.map(([key, value], index) => sql`${sqlLiteral(`${index ? "," : "{"}${JSON.stringify(key)}:`)} || ${value}`);
  return sql`(${sql.join(parts, sql` || `)} || '}')`;
}
function sqlLiteral(text: string): SQL {
  return sql.raw(`'${text.replaceAll("'", "''")}'`);
}

const r = recommendations;
const i = executionItems;
const l = executionLogs;

const tables: Record<Exclude<RowTextTable, "log">, TableSpec> = {
  recommendations: {
    table: r,
    // As the run's page lists them by default (lib/results/recommendations.ts).
    keys: [{ column: r.priority, type: "priority" }, { column: r.itemLabel, type: "text" }, { column: r.id, type: "uuid" }],
    ofExecution: (id) => eq(r.executionId, id),
    csv: [
      plain("id", r.id), plain("priority", label(r.priority)), plain("status", label(r.status)), text("item_type", r.itemType), text("item_ref", r.itemRef), text("item", r.itemLabel),
      text("field", r.field), text("before", r.beforeValue), text("after", r.afterValue), text("edited", r.editedValue), text("rationale", r.rationale), plain("origin", label(r.origin)),
      text("apply_error", r.applyError), plain("decided_at", iso(r.decidedAt)), plain("applied_at", iso(r.appliedAt)), plain("reverted_at", iso(r.revertedAt)), plain("created_at", iso(r.createdAt)),
    ],
    object: jsonObject([
      ["id", token(r.id)], ["origin", token(label(r.origin))], ["item", jsonObject([["type", jsonText(r.itemType)], ["ref", jsonText(r.itemRef)], ["label", jsonText(r.itemLabel)]])],
      ["field", jsonText(r.field)], ["before", jsonText(r.beforeValue)], ["after", jsonText(r.afterValue)], ["edited", jsonText(r.editedValue)], ["priority", token(label(r.priority))],
      ["status", token(label(r.status))], ["rationale", jsonText(r.rationale)], ["applyError", jsonText(r.applyError)], ["decidedAt", token(iso(r.decidedAt))],
      ["appliedAt", token(iso(r.appliedAt))], ["revertedAt", token(iso(r.revertedAt))], ["createdAt", token(iso(r.createdAt))],
    ]),
  },
  items: {
    table: i,
    keys: [{ column: i.itemRef, type: "text" }],
    ofExecution: (id) => eq(i.executionId, id),
    csv: [text("item_type", i.itemType), text("item_ref", i.itemRef), text("item", i.itemLabel), plain("outcome", label(i.outcome)), text("reason", i.reason), plain("score", i.score), plain("processed_at", iso(i.processedAt))],
    object: jsonObject([
      ["type", jsonText(i.itemType)], ["ref", jsonText(i.itemRef)], ["label", jsonText(i.itemLabel)], ["outcome", token(label(i.outcome))], ["reason", jsonText(i.reason)],
      ["score", jsonText(i.score)], ["data", json(i.data)], ["processedAt", token(iso(i.processedAt))],
    ]),
  },
};

/** Log lines, their message and data as the viewer may read them (lib/executions/disclosure.ts). */
function logSpec(disclosure: Disclosure): TableSpec {
  const message = disclosure === fullDisclosure ? sql`${l.message}` : logMessageFor(disclosure, l.message);
  const data = disclosure === fullDisclosure ? sql`${l.data}` : logDataFor(disclosure, l.data);
  return {
    table: l,
    keys: [{ column: l.seq, type: "integer" }],
    ofExecution: (id) => eq(l.executionId, id),
    csv: [plain("seq", l.seq), plain("at", iso(l.at)), plain("level", label(l.level)), text("step", l.step), text("message", message), text("data", sql`${data}::text`)],
    object: jsonObject([["seq", json(l.seq)], ["at", token(iso(l.at))], ["level", token(label(l.level))], ["step", jsonText(l.step)], ["message", jsonText(message)], ["data", json(data)]]),
  };
}

function specOf(table: RowTextTable, disclosure: Disclosure = fullDisclosure): TableSpec {
  return table === "log" ? logSpec(disclosure) : tables[table];
}

export function rowTextHeader(table: RowTextTable): string[] {
  return specOf(table).csv.map((column) => column.header);
}

/** Which CSV columns are free text, quoted in every row (papaparse's `quotes` option). */
export function rowTextQuotedColumns(table: RowTextTable): boolean[] {
  return specOf(table).csv.map((column) => column.isText);
}

const formulaStartCodes = sql.raw([...formulaStartChars].map((c) => c.charCodeAt(0)).join(", "));

/** `"text"` with quotes doubled and a leading `'` before a formula start; an empty cell for null. */
const quotedCell = (value: SQL | AnyColumn) =>
  sql`'"' || case when ascii(${value}) in (${formulaStartCodes}) then '''' else '' end || replace(${value}, '"', '""') || '"'`;

/** One CSV record with its CRLF; null is an empty cell. */
function csvLine(columns: CsvColumn[]): SQL {
  const cells = columns.map((c) => sql`coalesce(${c.isText ? quotedCell(c.value) : sql`${c.value}::text`}, '')`);
  return sql`(${sql.join(cells, sql` || ',' || `)} || E'\\r\\n')`;
}

/**
 * Batches of rows as UTF-8 text in key order: CSV lines, or JSON objects joined by commas (no
 * brackets; each batch after the first begins with its comma). Given a report file `into`,
 * each batch is also stored as one of its chunks by the query that builds it, and comes as
 * `{ stored }`.
 */
export async function* rowTextBatches(
  table: RowTextTable,
  format: RowTextFormat,
  executionId: string,
  { into, disclosure }: { into?: ReportFileWriter; disclosure?: Disclosure } = {},
): AsyncGenerator<Uint8Array | { stored: Uint8Array }> {
  const spec = specOf(table, disclosure);
  const database = await getDatabase();
  const db = database.db;
  const batchSize = rowTextBatchSizes[database.kind][format];
  const rowText = format === "json" ? spec.object : csvLine(spec.csv);
  const separator = format === "json" ? "," : "";
  // Where each batch starts, from the keys alone: then every batch is one key range, read
  // through the (execution, keys…) index, and several can be built at once. Keys never change,
  // so a row updated meanwhile is still read once.
  const keyColumns = spec.keys.map((key) => key.column);
  const keyRow = sql`(${sql.join(keyColumns, sql`, `)})`;
  const keyed = db
    .select({
      ...Object.fromEntries(spec.keys.map((key, n) => [`k${n}`, sql<unknown>`${key.column}`.as(`k${n}`)])),
      n: sql<number>`row_number() over (order by ${sql.join(keyColumns, sql`, `)})`.as("n"),
    })
    .from(spec.table)
    .where(spec.ofExecution(executionId))
    .as("keyed");
  const keyedColumns = spec.keys.map((_, n) => sql`${sql.identifier("keyed")}.${sql.identifier(`k${n}`)}`);
  const startRows: Record<string, unknown>[] = await bridgingConnectionCuts(() =>
    db
      .select(Object.fromEntries(keyedColumns.map((column, n) => [`k${n}`, sql<unknown>`${column}`])))
      .from(keyed)
      .where(sql`(${keyed.n} - 1) % ${batchSize} = 0`)
      .orderBy(...keyedColumns),
  );
  const starts = startRows.map((row) => sql`(${sql.join(spec.keys.map((key, n) => sql`${row[`k${n}`]}::${sql.raw(key.type)}`), sql`, `)})`);
  const read = (n: number): Promise<Uint8Array | null> => {
    // The rows come in key order from a sorted subquery (the index's order, no sort) rather
    // than string_agg(… ORDER BY), which PostgreSQL 15 sorts again, rows and all; with nothing
    // else at the outer level (no join, no grouping) the aggregate takes them as they come.
    // A batch between two starts holds batchSize rows (a settled run's rows are never added to).
    // Its limit, with room to spare and written into the statement (a prepared statement's plan
    // is made once for any parameter), is what makes the planner walk the index in key order:
    // it judges a range of several keys by the first alone and, for recommendations, expects a
    // third of the run's rows, which it would rather gather and sort (26 ms against 5 for 1,000).
    const isBounded = n + 1 < starts.length;
    const inRange = and(spec.ofExecution(executionId), sql`${keyRow} >= ${starts[n]}`, isBounded ? sql`${keyRow} < ${starts[n + 1]}` : undefined);
    const limit = isBounded ? sql.raw(` limit ${2 * batchSize}`) : sql``;
    const rows = sql`(select ${rowText} as row_text from ${spec.table} where ${inRange} order by ${sql.join(keyColumns, sql`, `)}${limit}) as batch_rows`;
    // `,` || null is null: an empty batch stays empty.
    const text = sql`${sql.raw(n > 0 && separator ? `'${separator}' || ` : "")}string_agg(row_text, ${separator})`;
    // Claimed and compiled once: sent again after a cut, the batch keeps its chunk's number, and
    // a chunk the first try stored is kept (migration 0031).
    const stored = into ? sql`runlog_store_text_chunk(${into.fileId}::uuid, ${into.claimChunk()}::integer, ${text})` : text;
    const query = db.select({ text: sql<string | null>`${stored}`.as("text") }).from(rows).toSQL();
    return bridgingConnectionCuts(() => database.textBytes(query));
  };
  const inFlight: Promise<Uint8Array | null>[] = [];
  let next = 0;
  const startNext = () => {
    if (next >= starts.length) return;
    const reading = read(next++);
    reading.catch(() => {}); // awaited below, in order; this only keeps an early failure from counting as unhandled
    inFlight.push(reading);
  };
  for (let n = 0; n < batchesInFlight; n++) startNext();
  let hasRows = false;
  for (let n = 0; inFlight.length; n++) {
    const bytes = await inFlight.shift()!;
    startNext();
    if (!bytes?.length) continue;
    // Only if rows vanished under the export (the run deleted meanwhile) could a later batch,
    // which begins with its comma, come first.
    if (separator && n > 0 && !hasRows) throw new Error("The run changed while it was being downloaded; download it again.");
    hasRows = true;
    yield into ? { stored: bytes } : bytes;
  }
}
