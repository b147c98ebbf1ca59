import Link from "next/link";
import type { ItemIssuesPage, LogPage, LogSummary } from "@/lib/executions/log";
import type { LogLevelFilter } from "@/lib/executions/log-request";
import type { Failure } from "@/lib/outcome";
import { ItemIssues } from "./item-issues";
import { LogLines } from "./log-lines";
import { LogSteps } from "./log-steps";

type Props = {
  summary: LogSummary | Failure;
  page: LogPage | Failure;
  level: LogLevelFilter;
  issues: ItemIssuesPage | Failure;
  issuesText: string | null;
  items: { processed: number; failed: number; total: number };
  stoppedAtSeq: number | null;
  basePath: string;
  query: URLSearchParams;
};

/** A part of the section that could not be read, with the sentence why and a way back. */
function Refusal({ failed, resetHref }: { failed: Failure; resetHref: string }) {
  return (
    <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
      {failed.message} <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={resetHref}>Start from the beginning</Link>.
    </p>
  );
}

/** The processing log (F5): totals and steps, the lines page by page, and items with issues. */
export function ProcessingLog({ summary, page, level, issues, issuesText, items, stoppedAtSeq, basePath, query }: Props) {
  return (
    <section id="log" aria-labelledby="log-heading" className="scroll-mt-4 rounded-lg border border-slate-200 bg-white">
      <h2 id="log-heading" className="border-b border-slate-100 px-4 py-2 font-medium">Processing log</h2>
      <div className="space-y-6 p-4">
        {!summary.ok ? (
          <Refusal failed={summary} resetHref={`${basePath}#log`} />
        ) : summary.lines === 0 ? (
          <p className="text-slate-500">Nothing logged yet: lines appear here as soon as the run starts.</p>
        ) : (
          <>
            <LogSteps summary={summary} items={items} basePath={basePath} query={query} />
            {page.ok ? (
              <LogLines page={page} level={level} summary={summary} basePath={basePath} query={query} stoppedAtSeq={stoppedAtSeq} />
            ) : (
              <Refusal failed={page} resetHref={`${basePath}#log`} />
            )}
          </>
        )}
        {issues.ok ? (
          <ItemIssues page={issues} text={issuesText} failedCount={items.failed} basePath={basePath} query={query} />
        ) : (
          <Refusal failed={issues} resetHref={`${basePath}#items-with-issues`} />
        )}
      </div>
    </section>
  );
}
