import type { Metadata } from "next";
import Link from "next/link";
import { describeAction, describeDetails, describeTarget } from "@/components/audit/audit-wording";
import { forbidden } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { FilterBar, FilterField, filterField } from "@/components/ui/filter-bar";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState, Table } from "@/components/ui/table";
import { listAuditLog, noAuditFilter, parseAuditRequest } from "@/lib/audit/queries";
import { auditCategoryLabels } from "@/lib/audit/record";
import { isAdmin } from "@/lib/auth/context";
import { requireSessionContext } from "@/lib/auth/session";
import { listWorkspaceMembers } from "@/lib/auth/users";
import { encodeTimeIdCursor } from "@/lib/pagination/newest-first";
import { queryString, type SearchParams } from "@/lib/url-state/params";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Audit log" };

export default pageReadingAddress(async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await requireSessionContext();
  if (!isAdmin(ctx)) forbidden();
  const parsed = parseAuditRequest(await searchParams);
  const request = parsed.ok ? parsed : { filter: noAuditFilter, after: null };
  const [page, members] = await Promise.all([listAuditLog(ctx, request), listWorkspaceMembers(ctx)]);
  if (!page.ok) forbidden();
  const { filter } = request;
  const memberNames = new Map(members.map((m) => [m.userId, m.name]));
  return (
    <div className="space-y-4">
      <PageHeader title="Audit log" actions={<a href={`/api/audit${queryString(filter)}`} className={buttonClass("secondary")} download>Export CSV</a>}>
        Who did what in this workspace — runs, applies, reverts, deletes, shares, exports and settings — newest first.
      </PageHeader>
      <FilterBar label="Filter the audit log" action="/audit" clearHref="/audit">
        <FilterField label="What">
          <select name="category" aria-label="What" defaultValue={filter.category ?? ""} className={filterField}>
            <option value="">Everything</option>
            {Object.entries(auditCategoryLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </FilterField>
        <FilterField label="Who">
          <select name="actor" aria-label="Who" defaultValue={filter.actor ?? ""} className={filterField}>
            <option value="">Anyone</option>
            {members.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        </FilterField>
        <FilterField label="From"><input type="date" name="from" aria-label="From" defaultValue={filter.from ?? ""} className={filterField} /></FilterField>
        <FilterField label="To"><input type="date" name="to" aria-label="To" defaultValue={filter.to ?? ""} className={filterField} /></FilterField>
      </FilterBar>
      {!parsed.ok && <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">{parsed.message} Showing everything instead.</p>}
      {page.rows.length === 0 ? (
        <EmptyState>No entries match these filters.</EmptyState>
      ) : (
        <Table label="Audit log" columns={[{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Target" }, { label: "Details" }]}>
          {page.rows.map((row) => (
            <tr key={row.id} data-testid="audit-row" className="align-top">
              <td className="whitespace-nowrap px-3 py-1.5"><LocalTime iso={row.at.toISOString()} /></td>
              <td className="whitespace-nowrap px-3 py-1.5">{row.actorName ?? "System"}</td>
              <td className="px-3 py-1.5" title={row.action}>{describeAction(row.action, row.data)}</td>
              <td className="whitespace-nowrap px-3 py-1.5 text-xs">
                <AuditTarget target={describeTarget(row)} />
              </td>
              <td className="max-w-md px-3 py-1.5 text-xs text-slate-700">
                {describeDetails(row.action, row.data, memberNames).map(([label, value]) => (
                  <span key={label} className="mr-3 inline-block"><span className="text-slate-600">{label}:</span> {value}</span>
                ))}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <div className="flex justify-end gap-2">
        {request.after && <Link href={`/audit${queryString(filter)}`} className={buttonClass("ghost")}>Newest</Link>}
        {page.next && <Link rel="next" href={`/audit${queryString({ ...filter, after: encodeTimeIdCursor(page.next) })}`} className={buttonClass("secondary")}>Older →</Link>}
      </div>
    </div>
  );
});

function AuditTarget({ target }: { target: { text: string; runId: string | null } }) {
  return target.runId
    ? <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={`/executions/${target.runId}`}>{target.text}</Link>
    : <>{target.text}</>;
}
