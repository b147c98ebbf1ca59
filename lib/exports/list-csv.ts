import type { Ctx } from "@/lib/auth/context";
import { csvHead, csvLines, type CsvCell } from "./csv";
import type { ExportedFile } from "./export-execution";
import { listFileName } from "./file-name";
import { contentTypes } from "./formats";
import { storeWhileStreaming } from "./report-files";

/** Rows read per page while a list is exported. */
const exportPageSize = 1000;

/** The fields of a row that fill a cell as they are (text, numbers, booleans, nulls), or as an ISO time (dates). */
type CellField<Row> = { [K in keyof Row]: Row[K] extends CsvCell | Date ? K : never }[keyof Row];

/** A list as its CSV download describes it. */
export type ListCsv<Row, Position> = {
  /** The list's name in the file name (`runlog-<name>-<day>.csv`). */
  name: string;
  /** What the stored report file holds (`history`, `ledger`, `audit`). */
  part: string;
  /** The file's columns in order: each header with the row's field it shows, or what the row puts under it. */
  columns: Record<string, CellField<Row> | ((row: Row) => CsvCell)>;
  /** One page of the filtered list after `after` (null: its start), read as the list itself reads it. */
  page: (after: Position | null, limit: number) => Promise<{ rows: Row[]; next: Position | null }>;
};

/**
 * The one list export (history, credit ledger, audit log): every row the list's filters
 * match, in the list's order, read by its own keyset pages and written as they arrive, so
 * memory stays bounded whatever the size; the file is stored as a report file while it streams.
 * Its first page is read before anything is sent.
 */
export async function exportListCsv<Row, Position>(ctx: Ctx, list: ListCsv<Row, Position>, now = new Date()): Promise<{ ok: true } & ExportedFile> {
  const cells = Object.values(list.columns).map((column) => (typeof column === "function" ? column : (row: Row) => fieldCell(row[column] as CsvCell | Date)));
  // The first page is read before the answer starts: a request the database refuses gets its
  // 4xx (or 503) and a sentence, rather than a connection closed after the headers went out.
  const first = await list.page(null, exportPageSize);
  async function* text(): AsyncGenerator<string> {
    yield csvHead(Object.keys(list.columns));
    let page = first;
    for (;;) {
      yield csvLines(page.rows.map((row) => cells.map((cell) => cell(row))));
      if (!page.next) return;
      page = await list.page(page.next, exportPageSize);
    }
  }
  const fileName = listFileName(list.name, now);
  const contentType = contentTypes.csv;
  const stored = await storeWhileStreaming(ctx, { executionId: null, format: "csv", part: list.part, fileName, contentType }, text, now);
  return { ok: true, fileId: stored.fileId, fileName, contentType, stream: stored.stream };
}

/** A date as `2026-03-31T12:00:00.000Z`; anything else as it is. */
function fieldCell(value: CsvCell | Date): CsvCell {
  return value instanceof Date ? value.toISOString() : value;
}
