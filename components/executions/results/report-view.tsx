import { Table } from "@/components/ui/table";
import { formatNumber } from "@/components/ui/format";
import type { ReportPayload } from "@/lib/results/payloads";
import { ReportChart } from "./report-chart";
import { EmptyResult } from "./result-card";

type ReportTable = ReportPayload["tables"][number];

/** A report block: its summary, then its charts, then its tables. */
export function ReportView({ report }: { report: ReportPayload }) {
  const summary = report.summary.trim();
  if (!summary && report.tables.length === 0 && report.charts.length === 0) return <EmptyResult>This report is empty.</EmptyResult>;
  return (
    <div className="space-y-4">
      {summary && <p className="text-slate-700">{summary}</p>}
      {report.charts.length > 0 && (
        <div className="grid gap-4 xl:grid-cols-2 [&>*]:min-w-0">{report.charts.map((chart, n) => <ReportChart key={`${n}-${chart.title}`} chart={chart} />)}</div>
      )}
      {report.tables.length > 0 && (
        <div className="grid items-start gap-4 xl:grid-cols-2 [&>*]:min-w-0">{report.tables.map((table, n) => <ReportTableView key={`${n}-${table.title}`} table={table} />)}</div>
      )}
    </div>
  );
}

function ReportTableView({ table }: { table: ReportTable }) {
  // Columns holding only numbers line up on the right, as figures do.
  const isNumeric = table.columns.map((_, c) => table.rows.length > 0 && table.rows.every((row) => typeof row[c] === "number"));
  return (
    <div className="space-y-2">
      <h4 className="text-sm font-medium text-slate-700">{table.title}</h4>
      {table.rows.length === 0 ? (
        <EmptyResult>This table has no rows.</EmptyResult>
      ) : (
        <Table label={table.title} columns={table.columns.map((label, c) => ({ label, align: isNumeric[c] ? "right" : "left" }))}>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {table.columns.map((column, c) => {
                const cell = row[c];
                return (
                  <td key={column} className={`px-3 py-1.5 ${isNumeric[c] ? "text-right tabular-nums" : ""}`}>
                    {cell === undefined ? "—" : typeof cell === "number" ? formatNumber(cell) : cell}
                  </td>
                );
              })}
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
