import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { changeOf, type ComparedMetric, type PreviousRun } from "@/lib/results/queries";
import { EmptyResult } from "./result-card";

const figure = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** A scores block: each metric's value on its scale, what it means, and how it moved since the previous run. */
export function ScoresView({ metrics, previousRun, basisDifferences = [], isComparable = true }: { metrics: ComparedMetric[]; previousRun: PreviousRun | null; basisDifferences?: string[]; isComparable?: boolean }) {
  if (metrics.length === 0) return <EmptyResult>No scores were recorded for this run.</EmptyResult>;
  if (!isComparable) {
    // A share link's visitor sees this run alone: what came before is the workspace's business.
    return <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4">{metrics.map((metric) => <MetricCard key={metric.key} metric={{ ...metric, previous: null, rate: null }} isSameBasis />)}</ul>;
  }
  const hasComparison = metrics.some((m) => m.previous !== null);
  const isSameBasis = basisDifferences.length === 0;
  return (
    <div className="space-y-3">
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4">
        {metrics.map((metric) => <MetricCard key={metric.key} metric={metric} isSameBasis={isSameBasis} />)}
      </ul>
      {hasComparison && previousRun && (
        <p className="text-sm text-slate-600">
          Compared with the{" "}
          <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={`/executions/${previousRun.id}`}>previous completed run</Link> of this agent,{" "}
          <LocalTime iso={previousRun.createdAt.toISOString()} />.
        </p>
      )}
      {hasComparison && !isSameBasis && (
        <p className="text-sm text-amber-800" data-testid="basis-differences">
          Not like for like — {basisDifferences.join("; ")}. Counts are compared as rates, and nothing is called better or worse.
        </p>
      )}
      {!hasComparison && <p className="text-sm text-slate-600">No earlier completed run of this agent to compare with.</p>}
    </div>
  );
}

/**
 * Whether the metric sits on a fixed scale a bar can show (a 0–100 score, a percentage). A
 * count's "scale" is only the run's own size (sessions, images), which a bar would misread.
 */
function hasFixedScale(metric: ComparedMetric): boolean {
  return metric.unit === "%" || (metric.scale.min === 0 && metric.scale.max === 100);
}

function MetricCard({ metric, isSameBasis }: { metric: ComparedMetric; isSameBasis: boolean }) {
  const { min, max } = metric.scale;
  const share = max > min ? Math.min(1, Math.max(0, (metric.value - min) / (max - min))) : 0;
  const isScaled = hasFixedScale(metric);
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <p className="text-sm text-slate-600">{metric.label}</p>
      <p className="mt-0.5 text-2xl font-semibold tabular-nums">{formatValue(metric.value, metric.unit)}</p>
      {isScaled && (
        <div className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden>
          <div className="h-full rounded-full bg-indigo-500" style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <p className="mt-1 text-xs text-slate-600">
        {isScaled && `Out of ${formatValue(max, metric.unit)} · `}{metric.isHigherBetter ? "higher is better" : "lower is better"}
      </p>
      {isSameBasis ? <Change metric={metric} /> : <ChangeOnOtherBasis metric={metric} />}
      <p className="mt-2 text-sm text-slate-600">{metric.meaning}</p>
    </li>
  );
}

function Change({ metric }: { metric: ComparedMetric }) {
  const change = changeOf(metric, true);
  if (!change || metric.previous === null) return null;
  const { delta } = change;
  if (change.verdict === "no change") return <p className="mt-1 text-sm text-slate-600">No change since the previous run.</p>;
  const isBetter = change.verdict === "better";
  const amount = metric.unit === "%" ? `${figure.format(Math.abs(delta))} pts` : formatValue(Math.abs(delta), metric.unit);
  return (
    <p className={`mt-1 text-sm font-medium ${isBetter ? "text-emerald-700" : "text-rose-700"}`}>
      <span aria-hidden>{delta > 0 ? "▲" : "▼"} </span>
      {delta > 0 ? "Up" : "Down"} {amount} since the previous run ({formatValue(metric.previous, metric.unit)}) · {isBetter ? "better" : "worse"}
    </p>
  );
}

/** Against a run of other settings, scope or period: the figures side by side (counts as rates), no verdict. */
function ChangeOnOtherBasis({ metric }: { metric: ComparedMetric }) {
  if (metric.previous === null) return null;
  const text = metric.rate
    ? `${figure.format(metric.rate.value)} ${metric.rate.unit} vs ${figure.format(metric.rate.previous)} in the previous run (${formatValue(metric.previous, metric.unit)} in all)`
    : `${formatValue(metric.previous, metric.unit)} in the previous run`;
  return <p className="mt-1 text-sm text-slate-700">{text} · on a different basis</p>;
}

function formatValue(value: number, unit: string | undefined): string {
  if (unit === "$") return dollars.format(value);
  if (unit === "%") return `${figure.format(value)}%`;
  return unit ? `${figure.format(value)} ${unit}` : figure.format(value);
}
