"use client";

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { seriesColors } from "@/components/ui/chart-colors";
import type { ReportPayload } from "@/lib/results/payloads";

type Chart = ReportPayload["charts"][number];
type Row = { x: string | number } & Record<string, number | string>;


const numberFormat = new Intl.NumberFormat("en-US");

/**
 * One chart of a report, drawn with recharts. Series become columns of one table keyed by x.
 * A second series on a very different scale (sessions beside orders) gets its own axis on
 * the right, so it does not flatten into the bottom of the chart; each axis takes its series' colour.
 */
export function ReportChart({ chart, colors = seriesColors }: { chart: Chart; colors?: string[] }) {
  const rows = chartRows(chart);
  const keys = chart.series.map((_, n) => `s${n}`);
  const peaks = chart.series.map((s) => Math.max(0, ...s.points.map((p) => p.y)));
  const hasRightAxis = chart.series.length === 2 && Math.min(...peaks) > 0 && Math.max(...peaks) / Math.min(...peaks) > 10;
  const axisOf = (n: number) => (hasRightAxis && n === 1 ? "right" : "left");
  const isEmpty = rows.length === 0;

  const common = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
      <XAxis dataKey="x" tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} />
      <YAxis yAxisId="left" tick={{ fontSize: 12, fill: hasRightAxis ? colors[0] : "#475569" }} tickFormatter={(v: number) => numberFormat.format(v)} width={56} />
      {hasRightAxis && <YAxis yAxisId="right" orientation="right" tick={{ fontSize: 12, fill: colors[1] }} tickFormatter={(v: number) => numberFormat.format(v)} width={48} />}
      <Tooltip formatter={(value) => (typeof value === "number" ? numberFormat.format(value) : value)} />
      {chart.series.length > 1 && <Legend itemSorter={null} />}
    </>
  );
  const size = { width: "100%", height: 260 };

  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-slate-700">{chart.title}</figcaption>
      {isEmpty ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-slate-500">There is nothing to chart.</p>
      ) : chart.type === "bar" ? (
        <BarChart responsive style={size} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          {common}
          {chart.series.map((s, n) => <Bar key={keys[n]} dataKey={keys[n]!} name={s.name} yAxisId={axisOf(n)} fill={colors[n % colors.length]} radius={[3, 3, 0, 0]} />)}
        </BarChart>
      ) : (
        <LineChart responsive style={size} data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          {common}
          {chart.series.map((s, n) => <Line key={keys[n]} dataKey={keys[n]!} name={s.name} yAxisId={axisOf(n)} stroke={colors[n % colors.length]} strokeWidth={2} dot={false} type="monotone" />)}
        </LineChart>
      )}
    </figure>
  );
}

/** The series merged into one row per x, in the order the x values first appear. */
function chartRows(chart: Chart): Row[] {
  const byX = new Map<string | number, Row>();
  chart.series.forEach((series, n) => {
    for (const point of series.points) {
      const row = byX.get(point.x) ?? { x: point.x };
      row[`s${n}`] = point.y;
      byX.set(point.x, row);
    }
  });
  return [...byX.values()];
}
