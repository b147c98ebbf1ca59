import type { Metadata } from "next";
import { HistoryFilters } from "@/components/executions/history-filters";
import { HistoryTable, type HistoryRow } from "@/components/executions/history-table";
import { HistoryTabs } from "@/components/executions/history-tabs";
import { LiveRefresh } from "@/components/executions/live-refresh";
import { Pager } from "@/components/executions/pager";
import { StatusCounts } from "@/components/executions/status-counts";
import { buttonClass } from "@/components/ui/button";
import { durationBetween, formatUtcDay } from "@/components/ui/format";
import { agentCatalog, agentName } from "@/lib/agents/catalog";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { requireSessionContext } from "@/lib/auth/session";
import { countByStatus, listExecutions, type ListedExecution } from "@/lib/executions/list";
import { emptyFilter, isFiltered, listQueryString, pageSize, parseListRequest, type ListRequest } from "@/lib/executions/list-filter";
import { isLive, mayManage } from "@/lib/executions/permissions";
import { queryValue, type SearchParams } from "@/lib/url-state/params";
import { listSavedViews } from "@/lib/executions/saved-views";
import { SavedViewBar } from "@/components/executions/saved-view-bar";
import { SelectAllMatching } from "@/components/executions/bulk-by-filter";
import { progressOf } from "@/lib/executions/progress";
import { searchSnippets, type Snippet } from "@/lib/executions/search";
import { archiveNoticeOf } from "@/lib/retention/keep";
import { getRetentionPeriods, type RetentionPeriods } from "@/lib/retention/settings";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Past executions" };

type Props = { searchParams: Promise<SearchParams> };

export default pageReadingAddress(async function ExecutionsPage({ searchParams }: Props) {
  const ctx = await requireSessionContext();
  const params = await searchParams;
  const parsed = parseListRequest(params);
  const request: ListRequest = parsed.ok ? { ...parsed, limit: pageSize } : { filter: emptyFilter, page: { after: null, before: null }, limit: pageSize };
  const emptyText = request.filter.id
    ? `No execution you can see has an ID starting with ${request.filter.id}.`
    : request.filter.q ? `No execution you can see matches “${request.filter.q}” with these filters.`
    : isFiltered(request.filter) ? "No executions match these filters." : "No executions yet. Run an agent and it will appear here.";
  const [page, counts, views, periods] = await Promise.all([listExecutions(ctx, request, { withContents: true }), countByStatus(ctx, request.filter), listSavedViews(ctx), getRetentionPeriods(ctx)]);
  const openView = views.find((view) => view.id === queryValue(params, "view")) ?? null;
  const snippets = request.filter.q ? await searchSnippets(page.rows.map((row) => row.id), request.filter.q) : new Map<string, Snippet>();
  const rows = page.rows.map((row) => ({ ...toHistoryRow(ctx, row), snippet: snippets.get(row.id) ?? null, archivesOn: archiveDayOf(row, periods) }));
  return (
    <div className="space-y-4">
      <PageHeader title="Past executions">
        {isAdmin(ctx)
          ? "Every agent run in this workspace, newest first."
          : "Runs you started, runs shared with you and runs of your workflows, newest first."}
      </PageHeader>
      <HistoryTabs current="/executions" />
      {!parsed.ok && (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
          This link’s filters could not be read — {parsed.message} Showing all executions instead.
        </p>
      )}
      <HistoryFilters filter={request.filter} agents={Object.values(agentCatalog).map((a) => ({ id: a.id, name: a.name }))} basePath="/executions" />
      <SavedViewBar query={listQueryString(request.filter)} current={openView} isAdmin={isAdmin(ctx)} />
      <div className="flex flex-wrap items-start justify-between gap-2">
        <StatusCounts counts={counts} filter={request.filter} />
        <a href={`/api/executions/export${listQueryString(request.filter)}`} download className={buttonClass("secondary")} title="Every run matching these filters, as CSV">Export CSV</a>
      </div>
      <HistoryTable
        rows={rows}
        emptyText={emptyText}
        acrossPages={<SelectAllMatching query={listQueryString(request.filter)} />}
      />
      <Pager filter={request.filter} prev={page.prev} next={page.next} />
      <LiveRefresh isActive={page.rows.some(isLive)} />
    </div>
  );
});

function toHistoryRow(ctx: Ctx, row: ListedExecution): HistoryRow {
  const isManaged = mayManage(ctx, row);
  return {
    id: row.id,
    agentId: row.agentId,
    agentName: agentName(row.agentId),
    status: row.status,
    who: row.workflowName ? `Workflow: ${row.workflowName}` : row.triggeredByName ?? "—",
    startedAt: (row.startedAt ?? row.createdAt).toISOString(),
    durationMs: durationBetween(row.startedAt, row.finishedAt),
    credits: isLive(row) ? row.creditsReserved : row.creditsCharged,
    isSettled: !isLive(row),
    itemsProcessed: row.itemsProcessed,
    itemsTotal: row.itemsTotal,
    preview: progressOf(row).summary || null,
    canDelete: isManaged && !isLive(row),
    canCancel: isManaged && isLive(row),
    canShare: isManaged,
    contents: row.contents,
  };
}

/** "12 Dec 2026" for a run within 14 days of leaving the history for Archived. */
function archiveDayOf(row: ListedExecution, periods: RetentionPeriods): string | null {
  const date = archiveNoticeOf(row, periods);
  return date && formatUtcDay(date);
}
