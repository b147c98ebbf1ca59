import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { SideScroll } from "@/components/ui/side-scroll";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatNumber } from "@/components/ui/format";
import type { ComparedMeasure, ComparedRun, Comparison, Delta, ItemChangeGroup, RecommendationCounts } from "@/lib/compare/compare";
import { compareHref, comparePeriods, maxComparedRuns, minComparedRuns, type ComparePeriod } from "@/lib/compare/compare-request";
import { TrendChart } from "./trend-chart";

const figure = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const verdictStyle: Record<Delta["verdict"], string> = {
  better: "text-emerald-700",
  worse: "text-rose-700",
  unchanged: "text-slate-500",
  changed: "text-slate-600",
};

function formatValue(value: number, unit: string | undefined): string {
  if (unit === "$") return dollars.format(value);
  if (unit === "%") return `${figure.format(value)}%`;
  return unit ? `${figure.format(value)} ${unit}` : figure.format(value);
}

/** Two to five runs of one agent side by side: what differed, what moved, and the agent's trend. */
export function ComparisonView({ comparison, periodDays }: { comparison: Comparison; periodDays: ComparePeriod }) {
  const { runs } = comparison;
  const ids = runs.map((run) => run.id);
  return (
    <div className="space-y-6">
      <RunsTable runs={runs} periodDays={periodDays} />
      <MeasuresTable runs={runs} measures={comparison.measures} />
      <RecommendationsTable runs={runs} />
      <Section title="Settings that differ">
        {comparison.settings.length === 0 ? (
          <p className="p-4 text-slate-500">Every run used the same settings.</p>
        ) : (
          <table className="min-w-full text-left">
            <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-4 py-2">Setting</th>
                {runs.map((run, n) => <th key={run.id} scope="col" className="px-4 py-2">Run {n + 1}</th>)}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {comparison.settings.map((row) => (
                <tr key={row.name}>
                  <th scope="row" className="px-4 py-1.5 font-normal text-slate-500">{row.label}</th>
                  {row.values.map((value, n) => <td key={ids[n]} className="px-4 py-1.5 font-mono text-xs">{value}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      {comparison.items && (
        <Section title="Items that changed most" note={`From run 1 to run ${runs.length}: scores of the same items, largest moves first.`}>
          <div className="grid gap-4 p-4 md:grid-cols-2">
            <ItemList title="Improved" group={comparison.items.improved} empty="No item scored higher." />
            <ItemList title="Regressed" group={comparison.items.regressed} empty="No item scored lower." />
            <ItemList title="New" group={comparison.items.added} empty="No items were checked only in the newest run." />
            <ItemList title="Resolved" group={comparison.items.resolved} empty="No item lost all its recommendations." note="Had recommendations in the oldest run, none in the newest." />
          </div>
        </Section>
      )}
      <TrendSection comparison={comparison} periodDays={periodDays} />
      <AddRemoveRuns comparison={comparison} ids={ids} periodDays={periodDays} />
    </div>
  );
}

function Section({ title, note, children }: { title: string; note?: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-label={title}>
      <div className="border-b border-slate-100 px-4 py-2">
        <h2 className="font-medium">{title}</h2>
        {note && <p className="text-sm text-slate-500">{note}</p>}
      </div>
      <SideScroll label={title}>{children}</SideScroll>
    </section>
  );
}

function RunsTable({ runs, periodDays }: { runs: ComparedRun[]; periodDays: ComparePeriod }) {
  const facts: [string, (run: ComparedRun) => React.ReactNode][] = [
    ["Started", (run) => <LocalTime iso={(run.startedAt ?? run.createdAt).toISOString()} />],
    ["Status", (run) => <StatusBadge status={run.status} />],
    ["Run by", (run) => run.who],
    ["Items", (run) => `${formatNumber(run.itemsProcessed)} of ${formatNumber(run.itemsTotal)}`],
    ["Summary", (run) => <span className="whitespace-normal text-slate-600">{run.preview ?? "—"}</span>],
  ];
  return (
    <Section title="Runs" note="Oldest first; each change is against the run before it.">
      <table className="min-w-full text-left">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Fact</span></th>
            {runs.map((run, n) => (
              <th key={run.id} scope="col" className="px-4 py-2" data-testid="compared-run">
                <Link href={`/executions/${run.id}`} className="text-indigo-700 normal-case underline underline-offset-2 hover:text-indigo-900">Run {n + 1}</Link>
                {runs.length > minComparedRuns && (
                  <Link href={compareHref(runs.filter((r) => r.id !== run.id).map((r) => r.id), periodDays)} className="ml-2 font-normal normal-case text-slate-500 hover:text-rose-700" aria-label={`Remove run ${n + 1} from the comparison`}>
                    Remove
                  </Link>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {facts.map(([label, cell]) => (
            <tr key={label}>
              <th scope="row" className="w-32 px-4 py-1.5 font-normal text-slate-500">{label}</th>
              {runs.map((run) => <td key={run.id} className="px-4 py-1.5 align-top">{cell(run)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function DeltaText({ delta, unit, against }: { delta: Delta | null; unit?: string; against: string }) {
  if (!delta) return null;
  if (delta.verdict === "unchanged") return <span className="block text-xs text-slate-500">no change {against}</span>;
  const amount = delta.per ? `${figure.format(Math.abs(delta.amount))} ${delta.per}` : unit === "%" ? `${figure.format(Math.abs(delta.amount))} pts` : formatValue(Math.abs(delta.amount), unit);
  const word = delta.verdict === "better" || delta.verdict === "worse" ? ` · ${delta.verdict}` : "";
  return (
    <span className={`block text-xs font-medium ${verdictStyle[delta.verdict]}`} data-verdict={delta.verdict}>
      <span aria-hidden>{delta.amount > 0 ? "▲" : "▼"} </span>
      {delta.amount > 0 ? "+" : "−"}{amount} {against}{word}
    </span>
  );
}

function MeasuresTable({ runs, measures }: { runs: ComparedRun[]; measures: ComparedMeasure[] }) {
  const hasOverall = runs.length > 2;
  return (
    <Section title="Metrics" note="Green is better and red is worse, by what better means for each metric.">
      {measures.length === 0 ? (
        <p className="p-4 text-slate-500">None of these runs recorded metrics.</p>
      ) : (
        <table className="min-w-full text-left">
          <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2">Metric</th>
              {runs.map((run, n) => <th key={run.id} scope="col" className="px-4 py-2 text-right">Run {n + 1}</th>)}
              {hasOverall && <th scope="col" className="px-4 py-2 text-right">Run 1 → {runs.length}</th>}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {measures.map((measure) => (
              <tr key={measure.key} data-testid="compared-metric">
                <th scope="row" className="px-4 py-2 font-normal">
                  {measure.label}
                  <span className="block text-xs text-slate-500">
                    {measure.isHigherBetter === null ? "neither higher nor lower is better" : measure.isHigherBetter ? "higher is better" : "lower is better"}
                  </span>
                  {measure.basisNote && <span className="block text-xs text-amber-800" data-testid="basis-note">{measure.basisNote}</span>}
                </th>
                {measure.values.map((value, n) => (
                  <td key={runs[n]!.id} className="px-4 py-2 text-right tabular-nums">
                    {value === null ? <span className="text-slate-500">—</span> : formatValue(value, measure.unit)}
                    <DeltaText delta={measure.deltas[n] ?? null} unit={measure.unit} against={`vs run ${n}`} />
                  </td>
                ))}
                {hasOverall && (
                  <td className="px-4 py-2 text-right tabular-nums">
                    {measure.overall ? <DeltaText delta={measure.overall} unit={measure.unit} against="overall" /> : <span className="text-slate-500">—</span>}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function RecommendationsTable({ runs }: { runs: ComparedRun[] }) {
  const rows: [string, (counts: RecommendationCounts) => string][] = [
    ["High priority", (c) => formatNumber(c.high)],
    ["Medium priority", (c) => formatNumber(c.medium)],
    ["Low priority", (c) => formatNumber(c.low)],
    ["Total", (c) => formatNumber(c.total)],
    ["Applied", (c) => formatNumber(c.applied)],
    ["Apply rate", (c) => (c.applyRate === null ? "—" : `${figure.format(Math.round(c.applyRate * 1000) / 10)}%`)],
  ];
  if (runs.every((run) => run.recommendations.total === 0)) return null;
  return (
    <Section title="Recommendations" note="Apply rate: recommendations applied out of all a run made.">
      <table className="min-w-full text-left">
        <thead className="bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2"><span className="sr-only">Count</span></th>
            {runs.map((run, n) => <th key={run.id} scope="col" className="px-4 py-2 text-right">Run {n + 1}</th>)}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map(([label, cell]) => (
            <tr key={label}>
              <th scope="row" className="px-4 py-1.5 font-normal text-slate-500">{label}</th>
              {runs.map((run) => <td key={run.id} className="px-4 py-1.5 text-right tabular-nums">{cell(run.recommendations)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function ItemList({ title, group, empty, note }: { title: string; group: ItemChangeGroup; empty: string; note?: string }) {
  return (
    <div aria-label={`${title} items`} role="group">
      <h3 className="text-sm font-medium text-slate-700">
        {title} <span className="font-normal text-slate-500">({formatNumber(group.total)})</span>
      </h3>
      {note && <p className="text-xs text-slate-500">{note}</p>}
      {group.items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100 text-sm">
          {group.items.map((item) => (
            <li key={item.itemRef} className="flex justify-between gap-3 py-1">
              <span className="truncate" title={item.itemLabel}>{item.itemLabel}</span>
              <span className="whitespace-nowrap tabular-nums text-slate-600">
                {item.before === null ? "new" : figure.format(item.before)} → {item.after === null ? "—" : figure.format(item.after)}
              </span>
            </li>
          ))}
          {group.total > group.items.length && <li className="py-1 text-xs text-slate-500">and {formatNumber(group.total - group.items.length)} more</li>}
        </ul>
      )}
    </div>
  );
}

function TrendSection({ comparison, periodDays }: { comparison: Comparison; periodDays: ComparePeriod }) {
  const { trend } = comparison;
  const ids = comparison.runs.map((run) => run.id);
  const scope = trend.isCapped
    ? `The newest ${trend.runCount} finished runs of the last ${periodDays} days (there are more; the chart stops at ${trend.runCount}).`
    : `${trend.runCount} finished run${trend.runCount === 1 ? "" : "s"} of ${comparison.agentName} in the last ${periodDays} days that you can see.`;
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-label="Trend">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-2">
        <div>
          <h2 className="font-medium">Trend</h2>
          <p className="text-sm text-slate-500">{scope}</p>
        </div>
        <nav aria-label="Trend period" className="flex gap-1 text-sm">
          {comparePeriods.map((days) => (
            <Link
              key={days}
              href={compareHref(ids, days)}
              aria-current={days === periodDays ? "page" : undefined}
              className={`rounded-md px-2 py-1 ${days === periodDays ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {days} days
            </Link>
          ))}
        </nav>
      </div>
      {trend.charts.length === 0 || trend.runCount === 0 ? (
        <p className="p-4 text-slate-500">No finished runs of this agent in the last {periodDays} days to chart.</p>
      ) : (
        <div className="grid gap-6 p-4 lg:grid-cols-2">
          {trend.charts.map((chart) => (
            <TrendChart key={chart.key} title={chart.title} unit={chart.unit} points={chart.points.map((p) => ({ at: p.at.toISOString(), value: p.value }))} />
          ))}
        </div>
      )}
    </section>
  );
}

function AddRemoveRuns({ comparison, ids, periodDays }: { comparison: Comparison; ids: string[]; periodDays: ComparePeriod }) {
  const isFull = ids.length >= maxComparedRuns;
  return (
    <Section title="Add or remove runs" note={isFull ? `Up to ${maxComparedRuns} runs can be compared; remove one to add another.` : `Recent finished runs of ${comparison.agentName} from the last ${periodDays} days.`}>
      {comparison.recentRuns.length === 0 ? (
        <p className="p-4 text-slate-500">No other finished runs of this agent in the period.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {comparison.recentRuns.map((run) => (
            <li key={run.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-2">
              <span className="flex items-center gap-3">
                <Link href={`/executions/${run.id}`} className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900"><LocalTime iso={run.createdAt.toISOString()} /></Link>
                <StatusBadge status={run.status} />
                <span className="text-sm text-slate-600">{run.preview ?? ""}</span>
              </span>
              {run.isCompared ? (
                ids.length > minComparedRuns ? (
                  <Link href={compareHref(ids.filter((id) => id !== run.id), periodDays)} className="text-sm text-slate-600 hover:text-rose-700">Remove</Link>
                ) : (
                  <span className="text-sm text-slate-500" title={`A comparison needs at least ${minComparedRuns} runs`}>In comparison</span>
                )
              ) : isFull ? (
                <span className="text-sm text-slate-500" title={`Up to ${maxComparedRuns} runs can be compared`}>Add</span>
              ) : (
                <Link href={compareHref([...ids, run.id], periodDays)} className="text-sm text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Add</Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
