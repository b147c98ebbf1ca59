import { executionExportSchemaPath, executionExportSchemaVersion, type ExportedActionItem } from "./execution-schema";
import { actionItemBatches, type ExportActionItem } from "./execution-rows";
import { rowTextBatches } from "./row-text";
import type { ExportSource } from "./export-source";
import type { FilePiece, ReportFileWriter } from "./report-files";

/**
 * An execution as one JSON document (lib/exports/execution-schema.ts), written as it is read:
 * the overview and results first, then each large array a keyset batch at a time, so a run
 * with 100,000 recommendations never sits in memory as one object.
 */
export async function* executionJson(source: ExportSource, now = new Date(), into?: ReportFileWriter): AsyncGenerator<FilePiece> {
  const id = source.execution.id;
  const head = {
    schemaVersion: executionExportSchemaVersion,
    schema: executionExportSchemaPath,
    generatedAt: now.toISOString(),
    execution: source.overview,
    settings: source.execution.settings,
    scope: source.execution.scope,
    results: source.results,
  };
  // The head's closing brace is replaced by the arrays that follow.
  yield JSON.stringify(head).slice(0, -1);
  const { disclosure } = source;
  yield* jsonArray("recommendations", rowTextBatches("recommendations", "json", id, { into }));
  yield* jsonArray("actionItems", mapBatches(actionItemBatches(id, { disclosure }), (a) => JSON.stringify(exportedActionItem(a))));
  yield* jsonArray("items", rowTextBatches("items", "json", id, { into }));
  yield* jsonArray("log", rowTextBatches("log", "json", id, { into, disclosure }));
  yield "}";
}

/** `,"key":[…]` around batches of rows already serialized, each batch after the first beginning with its comma. */
async function* jsonArray(key: string, batches: AsyncIterable<FilePiece>): AsyncGenerator<FilePiece> {
  yield `,${JSON.stringify(key)}:[`;
  yield* batches;
  yield "]";
}

async function* mapBatches<Row>(batches: AsyncIterable<Row[]>, serialize: (row: Row) => string): AsyncGenerator<string> {
  let isFirst = true;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    yield `${isFirst ? "" : ","}${batch.map(serialize).join(",")}`;
    isFirst = false;
  }
}

function exportedActionItem(a: ExportActionItem): ExportedActionItem {
  return { id: a.id, position: a.position, priority: a.priority, title: a.title, detail: a.detail, isDone: a.isDone, doneAt: a.doneAt, doneBy: a.doneByName };
}


