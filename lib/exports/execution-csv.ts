import { flattenSettings, settingLabel } from "@/lib/executions/readable-settings";
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
      yield* rowTextBatches(table, "csv", executionId, { into, disclosure: source.disclosure });
      return;
    }
    case "metrics": {
      // As the Results tab shows each metric: beside the previous run by the page's rule, with the same change and verdict.
      yield csvHead(["result", "key", "metric", "value", "unit", "scale_min", "scale_max", "higher_is_better", "previous_value", "change", "verdict", "rate_unit", "rate", "previous_rate", "previous_run_id", "meaning"]);
      const rows: CsvCell[][] = source.results.flatMap((block) =>
        block.kind === "scores"
          ? block.metrics.map((m) => [
            block.title, m.key, m.label, m.value, m.unit ?? null, m.scale.min, m.scale.max, m.isHigherBetter, m.previousValue ?? null, m.change ?? null, m.verdict ?? null,
            m.rate?.unit ?? null, m.rate?.value ?? null, m.rate?.previous ?? null, m.previousValue != null ? block.previousRun?.id ?? null : null, m.meaning,
          ])
          : [],
      );
      yield csvLines(rows);
      return;
    }
    case "overview":
      yield csvHead(["figure", "value"]);
      yield csvLines(overviewFigures(source));
      return;
    case "action_items":
      yield csvHead(["position", "priority", "title", "detail", "done", "done_at", "done_by"]);
      for await (const batch of actionItemBatches(executionId, { disclosure: source.disclosure })) {
        yield csvLines(batch.map((a) => [a.position, a.priority, a.title, a.detail, a.isDone, a.doneAt, a.doneByName]));
      }
      return;
  }
}

/**
 * The run's Overview tab and header as figure–value rows, each as the JSON download has it
 * (times in ISO 8601, duration in milliseconds), then its input settings as the tab lists them.
 */
function overviewFigures({ overview, execution }: ExportSource): CsvCell[][] {
  const rows: CsvCell[][] = [
    ["execution_id", overview.id],
    ["agent", overview.agent.name],
    ["agent_version", overview.agent.version],
    ["status", overview.status],
    ["summary", overview.preview],
    ["triggered_by", overview.triggeredBy.workflow ? `Workflow “${overview.triggeredBy.workflow}”` : overview.triggeredBy.user],
    ["rerun_of", overview.rerunOf],
    ["queued_at", overview.createdAt],
    ["started_at", overview.startedAt],
    ["cancel_requested_at", overview.cancelRequestedAt ?? null],
    ["finished_at", overview.finishedAt],
    ["duration_ms", overview.durationMs],
    ["items_processed", overview.items.processed],
    ["items_failed", overview.items.failed],
    ["items_in_scope", overview.items.total],
  ];
  if (overview.credits) rows.push(["credits_reserved", overview.credits.reserved], ["credits_charged", overview.credits.charged], ["credits_refunded", overview.credits.refunded]);
  if (overview.error) rows.push(["error_code", overview.error.code], ["error_message", overview.error.message], ["error_hint", overview.error.hint]);
  for (const [name, value] of flattenSettings(execution.settings)) rows.push([`setting: ${settingLabel(name)}`, value]);
  return rows;
}
