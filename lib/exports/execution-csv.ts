import { csvHead, csvLines, type CsvCell } from "./csv";
import { actionItemBatches } from "./execution-rows";
import type { ExportSource } from "./export-source";
import type { CsvPart } from "./formats";
import type { FilePiece, ReportFileWriter } from "./report-files";
import { rowTextBatches, rowTextHeader } from "./row-text";

/**
 * One table of an execution as CSV text, a batch of rows at a time: the header first, then
 * each keyset batch as it arrives from the database (the large tables with their lines
 * already written there, lib/exports/row-text.ts; the small ones through papaparse).
 */
export async function* executionCsv(source: ExportSource, part: CsvPart, into?: ReportFileWriter): AsyncGenerator<FilePiece> {
  const executionId = source.execution.id;
  switch (part) {
    case "recommendations":
    case "items":
    case "log": {
      const table = part;
      yield csvHead(rowTextHeader(table));
      yield* rowTextBatches(table, "csv", executionId, { into });
      return;
    }
    case "metrics": {
      yield csvHead(["result", "key", "metric", "value", "unit", "scale_min", "scale_max", "higher_is_better", "previous_value", "meaning"]);
      const rows: CsvCell[][] = source.results.flatMap((block) =>
        block.kind === "scores"
          ? block.metrics.map((m) => [block.title, m.key, m.label, m.value, m.unit ?? null, m.scale.min, m.scale.max, m.isHigherBetter, m.previousValue ?? null, m.meaning])
          : [],
      );
      yield csvLines(rows);
      return;
    }
    case "action_items":
      yield csvHead(["position", "priority", "title", "detail", "done", "done_at"]);
      for await (const batch of actionItemBatches(executionId)) {
        yield csvLines(batch.map((a) => [a.position, a.priority, a.title, a.detail, a.isDone, a.doneAt]));
      }
      return;
  }
}
