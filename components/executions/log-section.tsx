import type { ExecutionContent } from "@/lib/executions/content";
import type { ExecutionRow } from "@/lib/executions/queries";
import { ProcessingLog } from "./log/processing-log";

/** A run's Log tab: its processing log, whose links stay under `basePath`. */
export function LogSection({ execution, log, basePath, query }: { execution: ExecutionRow; log: NonNullable<ExecutionContent["log"]>; basePath: string; query: URLSearchParams }) {
  return (
    <ProcessingLog
      {...log}
      items={{ processed: execution.itemsProcessed, failed: execution.itemsFailed, total: execution.itemsTotal }}
      stoppedAtSeq={execution.errorLogSeq}
      basePath={basePath}
      query={query}
    />
  );
}
