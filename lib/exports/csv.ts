import Papa from "papaparse";

/**
 * CSV as spreadsheets and scripts read it: UTF-8 with a byte-order mark (so Excel does not
 * guess another encoding), RFC 4180 quoting and CRLF line ends through papaparse, and every
 * text cell that a spreadsheet would evaluate as a formula neutralized with a leading `'`.
 * Numbers stay numbers (a negative credit figure is not a formula). The large tables of an
 * execution follow the same rules with their lines built by the database
 * (lib/exports/row-text.ts); a test checks they come out as papaparse writes them.
 */
const utf8Bom = "\uFEFF";

export type CsvCell = string | number | boolean | null;

/** Text cells beginning with one of these are formulas to Excel, LibreOffice or Google Sheets. */
export const formulaStartChars = "=+-@\t\r";
const formulaStart = new RegExp(`^[${formulaStartChars.replace("-", "\\-")}]`);

const unparseConfig = { header: false, newline: "\r\n", quoteChar: '"', escapeChar: '"', escapeFormulae: formulaStart } as const;

/**
 * Rows as CSV lines, each ending in CRLF; nothing for no rows. A cell is quoted when it needs
 * to be, or always in the columns `quotes` marks.
 */
export function csvLines(rows: CsvCell[][], quotes?: boolean[]): string {
  if (rows.length === 0) return "";
  return `${Papa.unparse(rows, quotes ? { ...unparseConfig, quotes } : unparseConfig)}\r\n`;
}

/** The start of a CSV file: the byte-order mark and the header line. */
export function csvHead(columns: readonly string[]): string {
  return utf8Bom + csvLines([[...columns]]);
}
