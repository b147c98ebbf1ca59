import type { ExecutionContent } from "@/lib/executions/content";
import type { ExecutionRow } from "@/lib/executions/queries";
import { ProcessingLog } from "./log/processing-log";
import { SettingsTable } from "./settings-table";

/** The run's input settings and its processing log; the log's links stay under `basePath`. */
export function SettingsAndLog({ execution, log, basePath, query }: { execution: ExecutionRow; log: ExecutionContent["log"]; basePath: string; query: URLSearchParams }) {
  return (
    <>
      <section className="rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2 font-medium">Input settings</h2>
        <SettingsTable settings={execution.settings} />
      </section>
      <ProcessingLog
        {...log}
        items={{ processed: execution.itemsProcessed, failed: execution.itemsFailed, total: execution.itemsTotal }}
        stoppedAtSeq={execution.errorLogSeq}
        basePath={basePath}
        query={query}
      />
    </>
  );
}
