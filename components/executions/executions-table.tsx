import Link from "next/link";
import { durationBetween, formatCredits, formatDuration } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyState, Table, type Column } from "@/components/ui/table";
import type { ExecutionRow } from "@/lib/executions/queries";
import { agentName } from "@/lib/agents/catalog";

const columns: Column[] = [
  { label: "Agent" },
  { label: "Status" },
  { label: "Started" },
  { label: "Duration", align: "right" },
  { label: "Credits", align: "right" },
  { label: "Scope", align: "right" },
  { label: "Preview" },
];

export function ExecutionsTable({ rows, emptyText }: { rows: ExecutionRow[]; emptyText: string }) {
  if (rows.length === 0) return <EmptyState>{emptyText}</EmptyState>;
  return (
    <Table columns={columns}>
      {rows.map((row) => (
        <tr key={row.id} data-testid="execution-row" className="whitespace-nowrap hover:bg-slate-50">
          <td className="px-3 py-2">
            <Link href={`/executions/${row.id}`} className="font-medium text-slate-900 hover:text-indigo-700">
              {agentName(row.agentId)}
            </Link>
            <div className="text-xs text-slate-500">{row.workflowName ? `Workflow: ${row.workflowName}` : row.triggeredByName ?? "—"}</div>
          </td>
          <td className="px-3 py-2"><StatusBadge status={row.status} /></td>
          <td className="px-3 py-2"><LocalTime iso={(row.startedAt ?? row.createdAt).toISOString()} /></td>
          <td className="px-3 py-2 text-right tabular-nums">{formatDuration(durationBetween(row.startedAt, row.finishedAt))}</td>
          <td className="px-3 py-2 text-right tabular-nums">
            {isSettled(row) ? formatCredits(row.creditsCharged) : <span title="Reserved until the run finishes">{formatCredits(row.creditsReserved)} <span className="text-xs text-slate-400">held</span></span>}
          </td>
          <td className="px-3 py-2 text-right tabular-nums">{row.itemsProcessed} / {row.itemsTotal}</td>
          <td className="max-w-md truncate px-3 py-2 text-slate-600" title={row.preview ?? undefined}>{row.preview ?? "—"}</td>
        </tr>
      ))}
    </Table>
  );
}

/** A settled run shows what it was charged; a live one, what it holds in reserve. */
function isSettled(row: ExecutionRow): boolean {
  return row.status !== "queued" && row.status !== "running";
}
