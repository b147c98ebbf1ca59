import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { formatNumber } from "@/components/ui/format";
import type { ExecutionLog } from "@/db/schema";
import type { LogPage, LogSummary } from "@/lib/executions/log";
import { logLevelFilters, logLineAnchor, logPageQuery, type LogLevelFilter } from "@/lib/executions/log-request";
import { LogClock } from "./log-clock";

type Props = {
  page: LogPage;
  level: LogLevelFilter;
  summary: LogSummary;
  basePath: string;
  query: URLSearchParams;
  /** The line where the run stopped, marked wherever it shows. */
  stoppedAtSeq: number | null;
};

const levelStyles: Record<ExecutionLog["level"], string> = {
  debug: "bg-slate-50 text-slate-500 ring-slate-200",
  info: "bg-sky-50 text-sky-700 ring-sky-200",
  warn: "bg-amber-50 text-amber-800 ring-amber-300",
  error: "bg-rose-50 text-rose-700 ring-rose-300",
};

const anchor = "#log-lines";

/** A page of log lines with its level filter and pager; every position lives in the URL. */
export function LogLines({ page, level, summary, basePath, query, stoppedAtSeq }: Props) {
  const href = (position: Parameters<typeof logPageQuery>[1]) => `${basePath}${logPageQuery(query, position)}${anchor}`;
  const counts: Record<LogLevelFilter, number> = { all: summary.lines, warn: summary.warnings + summary.errors, error: summary.errors };
  const disabled = `${buttonClass("secondary")} pointer-events-none opacity-50`;
  const first = page.lines[0]?.seq;
  const last = page.lines.at(-1)?.seq;

  return (
    <div id="log-lines" className="scroll-mt-4 space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <nav aria-label="Log level" className="flex flex-wrap gap-1">
          {(Object.keys(logLevelFilters) as LogLevelFilter[]).map((option) =>
            // A level with no lines is not worth a trip through the whole log.
            counts[option] === 0 && option !== level ? (
              <span key={option} aria-disabled="true" className={buttonClass("ghost", "pointer-events-none text-slate-500")}>
                {logLevelFilters[option]} <span className="tabular-nums">0</span>
              </span>
            ) : (
              <Link
                key={option}
                href={href({ level: option })}
                aria-current={option === level ? "page" : undefined}
                className={buttonClass(option === level ? "secondary" : "ghost", option === level ? "ring-1 ring-indigo-300" : "")}
              >
                {logLevelFilters[option]} <span className="tabular-nums text-slate-500">{formatNumber(counts[option])}</span>
              </Link>
            ),
          )}
        </nav>
        {first !== undefined && last !== undefined && (
          <p className="text-sm text-slate-500 tabular-nums">
            {level === "all" ? `Lines ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(summary.lastSeq ?? last)}` : `${formatNumber(page.lines.length)} shown, lines ${formatNumber(first)}–${formatNumber(last)}`}
          </p>
        )}
      </div>

      {page.lines.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-slate-500">
          {summary.lines === 0 ? "Nothing logged yet." : level === "all" ? "No lines here." : `No ${logLevelFilters[level].toLowerCase()} ${page.prev !== null || page.next !== null ? "on this page" : "in this run's log"}.`}
        </p>
      ) : (
        <ol className="max-h-[36rem] overflow-auto rounded-md border border-slate-200 font-mono text-xs" aria-label="Log lines">
          {page.lines.map((line) => {
            const itemRef = typeof line.data?.itemRef === "string" ? line.data.itemRef : null;
            const isStop = line.seq === stoppedAtSeq;
            return (
              <li
                key={line.seq}
                id={logLineAnchor(line.seq)}
                className={`grid scroll-mt-16 grid-cols-[3rem_6.5rem_3.5rem_minmax(0,1fr)] gap-x-2 gap-y-0.5 border-b sm:grid-cols-[4rem_6.5rem_3.5rem_7rem_1fr] sm:gap-2 border-slate-100 px-2 py-1 last:border-0 target:bg-amber-100 ${isStop ? "bg-rose-50" : ""}`}
              >
                <a href={`#${logLineAnchor(line.seq)}`} className="text-right text-slate-500 hover:text-slate-700" aria-label={`Line ${line.seq}`}>{line.seq}</a>
                <span className="text-slate-500"><LogClock iso={line.at.toISOString()} /></span>
                <span><span className={`rounded px-1 ring-1 ring-inset ${levelStyles[line.level]}`}>{line.level}</span></span>
                <span className="truncate text-slate-600" title={line.step}>{line.step}</span>
                {/* On a phone the message takes a row of its own, under the line's number, time, level and step. */}
                <span className="col-span-full whitespace-pre-wrap break-words text-slate-900 sm:col-span-1">
                  {line.message}
                  {itemRef && <span className="text-slate-500"> · item {itemRef}</span>}
                  {isStop && <strong className="ml-2 font-sans text-rose-700">← the run stopped here</strong>}
                </span>
              </li>
            );
          })}
        </ol>
      )}

      <nav aria-label="Log pages" className="flex flex-wrap items-center justify-end gap-2">
        {page.prev !== null ? <Link href={href({})} className={buttonClass("ghost")}>First</Link> : null}
        {page.prev !== null ? <Link rel="prev" href={href({ before: page.prev })} className={buttonClass("secondary")}>← Earlier</Link> : <span aria-disabled="true" className={disabled}>← Earlier</span>}
        {page.next !== null ? <Link rel="next" href={href({ after: page.next })} className={buttonClass("secondary")}>Later →</Link> : <span aria-disabled="true" className={disabled}>Later →</span>}
        {page.next !== null && summary.lastSeq !== null ? <Link href={href({ before: summary.lastSeq + 1 })} className={buttonClass("ghost")}>Last</Link> : null}
      </nav>
    </div>
  );
}
