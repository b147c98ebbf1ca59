import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { RestoreArchivedButton } from "@/components/executions/restore-archived-button";
import { Button } from "@/components/ui/button";
import { formatCredits } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyState, Table } from "@/components/ui/table";
import { agentCatalog, agentIds, agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { listArchivedExecutions, noArchivedFilter, parseArchivedRequest } from "@/lib/retention/archived";
import { getRetentionPeriods } from "@/lib/retention/settings";
import type { SearchParams } from "@/lib/url-state/params";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Archived executions" };

export default pageReadingAddress(async function ArchivedPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await requireSessionContext();
  const parsed = parseArchivedRequest(await searchParams);
  const filter = parsed.ok ? parsed.filter : noArchivedFilter;
  const result = await listArchivedExecutions(ctx, filter, 100);
  if (!result.ok) forbidden();
  const periods = await getRetentionPeriods(ctx);
  return (
    <div className="space-y-4">
      <PageHeader title="Archived executions">
        Runs past retention — completed and partial after {periods.retentionSuccessDays} days, failed and canceled after {periods.retentionFailureDays} days
        (<Link href="/settings/retention" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">change</Link>) — leave the history and are kept here in one piece.
        Request an archived run&apos;s data to download all of it as JSON, or restore it to the history (its retention then starts again).
      </PageHeader>
      <form className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" role="search">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Execution id</span>
          <input name="id" defaultValue={filter.id ?? ""} placeholder="e.g. 3f2a9c" className="w-72 rounded-md border border-slate-300 px-2 py-1.5 font-mono" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Agent</span>
          <select name="agent" defaultValue={filter.agent ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5">
            <option value="">All agents</option>
            {agentIds.map((id) => <option key={id} value={id}>{agentCatalog[id].name}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Created from (UTC)</span>
          <input type="date" name="from" defaultValue={filter.from ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">to</span>
          <input type="date" name="to" defaultValue={filter.to ?? ""} className="rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <Button type="submit">Search</Button>
        <Link href="/archived" className="py-1.5 text-slate-500 hover:text-slate-900">Clear</Link>
      </form>
      {!parsed.ok && <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">{parsed.message} Showing every archived execution instead.</p>}
      {result.rows.length === 0 ? (
        <EmptyState>No archived executions{filter.id || filter.agent || filter.from || filter.to ? " match this search" : " yet"}.</EmptyState>
      ) : (
        <Table label="Archived executions" columns={[{ label: "Execution" }, { label: "Agent" }, { label: "Status" }, { label: "Started by" }, { label: "Created" }, { label: "Archived" }, { label: "Credits", align: "right" }, { label: "Actions", isLabelHidden: true }]}>
          {result.rows.map((row) => (
            <tr key={row.executionId}>
              <td className="px-3 py-1.5 font-mono text-xs">{row.executionId}</td>
              <td className="px-3 py-1.5">{agentName(row.agentId)}</td>
              <td className="px-3 py-1.5"><StatusBadge status={row.status} /></td>
              <td className="px-3 py-1.5">{row.triggeredByName ?? "—"}</td>
              <td className="px-3 py-1.5"><LocalTime iso={row.createdAt.toISOString()} /></td>
              <td className="px-3 py-1.5"><LocalTime iso={row.archivedAt.toISOString()} /></td>
              <td className="px-3 py-1.5 text-right tabular-nums">{formatCredits(row.creditsCharged)}</td>
              <td className="px-3 py-1.5 text-right">
                <span className="inline-flex items-center gap-3">
                  <a href={`/api/archived/${row.executionId}`} download className="whitespace-nowrap text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Request archived data</a>
                  <RestoreArchivedButton executionId={row.executionId} />
                </span>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
});
