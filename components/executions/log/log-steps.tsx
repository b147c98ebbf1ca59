import Link from "next/link";
import { formatDuration, formatNumber } from "@/components/ui/format";
import type { LogSummary, StepSummary } from "@/lib/executions/log";
import { logLineAnchor, logPageQuery } from "@/lib/executions/log-request";
import { LogClock } from "./log-clock";

type Props = {
  summary: LogSummary;
  items: { processed: number; failed: number; total: number };
  basePath: string;
  query: URLSearchParams;
};

function formatRate(itemsPerSecond: number | null): string {
  return itemsPerSecond === null ? "—" : `${itemsPerSecond.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${itemsPerSecond === 1 ? "item" : "items"}/s`;
}

/** More rows than this and the table keeps the steps outside batches and the slowest batches. */
const maxRows = 40;

/** The steps worth a row, in order: all of them, or for a long run the unusual and the slowest. */
function stepsShown(steps: StepSummary[]): StepSummary[] {
  if (steps.length <= maxRows) return steps;
  const others = steps.filter((s) => s.items === null);
  const slowest = new Set(steps.filter((s) => s.items !== null).sort((a, b) => b.durationMs - a.durationMs).slice(0, Math.max(10, maxRows - others.length)));
  return steps.filter((s) => s.items === null || slowest.has(s));
}

/** Totals and one row per step: when it ran, what it took, how many items and how fast. */
export function LogSteps({ summary, items, basePath, query }: Props) {
  const shown = stepsShown(summary.steps);
  const batchCount = summary.steps.filter((s) => s.items !== null).length;
  const facts: [string, string][] = [
    ["Items", `${formatNumber(items.processed)} processed · ${formatNumber(items.failed)} with issues · ${formatNumber(items.total)} in scope`],
    ["Time", formatDuration(summary.durationMs)],
    ["Speed", formatRate(summary.itemsPerSecond)],
    ["Slowest step", summary.slowest ? `${summary.slowest.step} (${formatDuration(summary.slowest.durationMs)})` : "—"],
  ];
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label} className="rounded-md bg-slate-50 px-3 py-2">
            <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <details open={summary.steps.length <= 12}>
        <summary className="cursor-pointer text-slate-600 hover:text-slate-900">
          {formatNumber(summary.steps.length)} step{summary.steps.length === 1 ? "" : "s"}: time and speed of each
        </summary>
        {shown.length < summary.steps.length && (
          <p className="mt-1 text-sm text-slate-500">
            Showing the steps outside batches and the {formatNumber(shown.filter((s) => s.items !== null).length)} slowest of {formatNumber(batchCount)} batches; every line is in the log below.
          </p>
        )}
        <div className="mt-2 max-h-96 overflow-auto rounded-md border border-slate-200">
          <table className="min-w-full text-sm" aria-label="Steps">
            <thead className="sticky top-0 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2">Step</th>
                <th scope="col" className="px-3 py-2">Started</th>
                <th scope="col" className="px-3 py-2 text-right">Took</th>
                <th scope="col" className="px-3 py-2 text-right">Items</th>
                <th scope="col" className="px-3 py-2 text-right">Speed</th>
                <th scope="col" className="px-3 py-2 text-right">Issues</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((step) => (
                <tr key={step.step} className={step === summary.slowest ? "bg-amber-50/60" : undefined}>
                  <td className="px-3 py-1.5">
                    <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={`${basePath}${logPageQuery(query, { after: step.firstSeq - 1, level: "all" })}#${logLineAnchor(step.firstSeq)}`}>
                      {step.step}
                    </Link>
                  </td>
                  <td className="px-3 py-1.5 text-slate-600"><LogClock iso={step.startedAt.toISOString()} /></td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatDuration(step.durationMs)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{step.items === null ? "—" : formatNumber(step.items)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{formatRate(step.itemsPerSecond)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    {step.errors > 0 && <span className="text-rose-700">{formatNumber(step.errors)} error{step.errors === 1 ? "" : "s"}</span>}
                    {step.errors > 0 && step.warnings > 0 && " · "}
                    {step.warnings > 0 && <span className="text-amber-700">{formatNumber(step.warnings)} warning{step.warnings === 1 ? "" : "s"}</span>}
                    {step.errors + step.warnings === 0 && <span className="text-slate-500">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
