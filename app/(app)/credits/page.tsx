import type { Metadata } from "next";
import Link from "next/link";
import { UsageChart } from "@/components/credits/usage-chart";
import { ValueBadge } from "@/components/credits/value-badge";
import { buttonClass } from "@/components/ui/button";
import { FilterBar, FilterField, filterField } from "@/components/ui/filter-bar";
import { formatCredits, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState, Table } from "@/components/ui/table";
import { agentCatalog, agentIds, agentName } from "@/lib/agents/catalog";
import { isAdmin } from "@/lib/auth/context";
import { requireSessionContext } from "@/lib/auth/session";
import { listWorkspaceMembers } from "@/lib/auth/users";
import { getBalance } from "@/lib/credits/balance";
import { insightPeriods, periodSchema, usageByDay, usageByMember, valueByAgent, valueRule } from "@/lib/credits/insights";
import { listLedger, noLedgerFilter, parseLedgerRequest } from "@/lib/credits/ledger-list";
import { encodeTimeIdCursor } from "@/lib/pagination/newest-first";
import { queryString, queryValue, withQuery, type SearchParams } from "@/lib/url-state/params";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Credits" };

const kindLabels = { grant: "Grant", reserve: "Reserved", refund: "Refund", adjustment: "Adjustment" } as const;

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)} %`);

export default pageReadingAddress(async function CreditsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await requireSessionContext();
  const params = await searchParams;
  const days = periodSchema.parse(queryValue(params, "period"));
  const parsedLedger = parseLedgerRequest(params);
  const ledgerRequest = parsedLedger.ok ? parsedLedger : { filter: noLedgerFilter, after: null };
  const isWorkspaceView = isAdmin(ctx);
  const [balance, daily, members, values, ledger, people] = await Promise.all([
    getBalance(ctx.workspaceId),
    usageByDay(ctx, days),
    usageByMember(ctx, days),
    valueByAgent(ctx, days),
    listLedger(ctx, ledgerRequest),
    isWorkspaceView ? listWorkspaceMembers(ctx) : [],
  ]);
  const used = values.reduce((sum, v) => sum + v.credits, 0);
  const runs = values.reduce((sum, v) => sum + v.runs, 0);
  const { filter } = ledgerRequest;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Credits"
        actions={
          <nav aria-label="Period" className="flex gap-1">
            {insightPeriods.map((period) => (
              <Link key={period} href={withQuery(params, { period, after: null })} aria-current={period === days ? "page" : undefined}
                className={buttonClass(period === days ? "primary" : "ghost")}>
                {period} days
              </Link>
            ))}
          </nav>
        }
      >
        Workspace balance: <span className="font-semibold tabular-nums text-slate-900" data-testid="insights-balance">{formatCredits(balance)}</span> credits.{" "}
        {isWorkspaceView ? "Usage of the whole workspace." : "Your own usage: runs you started or that were charged to you."}
      </PageHeader>

      <section className="grid gap-3 sm:grid-cols-3" aria-label="Summary">
        <Figure label={`Credits used, last ${days} days`} value={formatCredits(used)} />
        <Figure label="Runs" value={formatNumber(runs)} />
        <Figure label="Credits per run" value={runs ? formatNumber(Math.round(used / runs)) : "—"} />
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4">
        {daily.length ? <UsageChart usage={daily} days={days} today={new Date()} /> : <EmptyState>No credits were used in the last {days} days.</EmptyState>}
      </section>

      <section className="space-y-2" aria-labelledby="value-heading">
        <h2 id="value-heading" className="font-medium">Value per agent</h2>
        {values.length === 0 ? <EmptyState>No runs in the last {days} days.</EmptyState> : (
          <Table label="Value per agent" columns={[{ label: "Agent" }, { label: "Runs", align: "right" }, { label: "Runs / week", align: "right" }, { label: "Credits", align: "right" }, { label: "Credits / item", align: "right" }, { label: "Recommendations", align: "right" }, { label: "Applied", align: "right" }, { label: "Apply rate", align: "right" }, { label: "Credits / applied", align: "right" }, { label: "Value" }]}>
            {values.map((v) => (
              <tr key={v.agentId} data-testid="agent-value" data-agent={v.agentId}>
                <td className="px-3 py-1.5 font-medium">{agentName(v.agentId)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(v.runs)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{v.runsPerWeek}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatCredits(v.credits)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{v.creditsPerItem ?? "—"}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(v.recommendations)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(v.applied)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{percent(v.applyRate)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{v.creditsPerApplied ?? "—"}</td>
                <td className="px-3 py-1.5"><ValueBadge label={v.label} /></td>
              </tr>
            ))}
          </Table>
        )}
        <p className="text-xs text-slate-500">{valueRule.text} Applies count on the day they are made; credits are reservations net of refunds.</p>
      </section>

      {members && (
        <section className="space-y-2" aria-labelledby="members-heading">
          <h2 id="members-heading" className="font-medium">By member</h2>
          <Table label="Credits by member" columns={[{ label: "Member" }, { label: "Runs", align: "right" }, { label: "Credits", align: "right" }, { label: "Share", align: "right" }, { label: "Recommendations", align: "right" }, { label: "Applied", align: "right" }]}>
            {members.map((m) => (
              <tr key={m.userId} data-testid="member-usage">
                <td className="px-3 py-1.5">{m.name}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(m.runs)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatCredits(m.credits)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{used > 0 ? percent(m.credits / used) : "—"}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(m.recommendations)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatNumber(m.applied)}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}

      <section className="space-y-2" aria-labelledby="ledger-heading">
        <div className="flex items-end justify-between gap-3">
          <h2 id="ledger-heading" className="font-medium">Ledger</h2>
          <a href={`/api/credits/ledger${queryString(filter)}`} className={buttonClass("secondary")} download>Export CSV</a>
        </div>
        <FilterBar label="Filter the ledger" action="/credits" clearHref={`/credits${queryString({ period: days })}`}>
          <input type="hidden" name="period" value={days} />
          <FilterField label="From"><input type="date" name="from" aria-label="From" defaultValue={filter.from ?? ""} className={filterField} /></FilterField>
          <FilterField label="To"><input type="date" name="to" aria-label="To" defaultValue={filter.to ?? ""} className={filterField} /></FilterField>
          <FilterField label="Agent">
            <select name="agent" aria-label="Agent" defaultValue={filter.agent ?? ""} className={filterField}>
              <option value="">Any agent</option>
              {agentIds.map((id) => <option key={id} value={id}>{agentCatalog[id].name}</option>)}
            </select>
          </FilterField>
          {isWorkspaceView && (
            <FilterField label="Member">
              <select name="member" aria-label="Member" defaultValue={filter.member ?? ""} className={filterField}>
                <option value="">Anyone</option>
                {people.map((p) => <option key={p.userId} value={p.userId}>{p.name}</option>)}
              </select>
            </FilterField>
          )}
          <FilterField label="Movement">
            <select name="kind" aria-label="Movement" defaultValue={filter.kind ?? ""} className={filterField}>
              <option value="">Any</option>
              {Object.entries(kindLabels).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </FilterField>
        </FilterBar>
        {!parsedLedger.ok && <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">{parsedLedger.message} Showing every movement instead.</p>}
        {ledger.rows.length === 0 ? <EmptyState>No credit movements match these filters.</EmptyState> : (
          <Table label="Ledger" columns={[{ label: "When" }, { label: "Movement" }, { label: "Agent" }, { label: "Member" }, { label: "Amount", align: "right" }, { label: "Balance after", align: "right" }]}>
            {ledger.rows.map((entry) => (
              <tr key={entry.id} data-testid="ledger-row">
                <td className="px-3 py-1.5"><LocalTime iso={entry.at.toISOString()} /></td>
                <td className="px-3 py-1.5">
                  {kindLabels[entry.kind]}
                  {entry.executionId && <Link href={`/executions/${entry.executionId}`} className="ml-2 text-xs text-indigo-700 underline underline-offset-2 hover:text-indigo-900">execution</Link>}
                </td>
                <td className="px-3 py-1.5">{entry.agentId ? agentName(entry.agentId) : "—"}</td>
                <td className="px-3 py-1.5">{entry.userName ?? "—"}</td>
                <td className={`px-3 py-1.5 text-right tabular-nums ${entry.amount < 0 ? "text-rose-700" : "text-emerald-700"}`}>{entry.amount > 0 ? "+" : ""}{formatCredits(entry.amount)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{isWorkspaceView ? formatCredits(entry.balanceAfter) : "—"}</td>
              </tr>
            ))}
          </Table>
        )}
        <div className="flex justify-end gap-2">
          {ledgerRequest.after && <Link href={`/credits${withQuery(params, { after: null })}`} className={buttonClass("ghost")}>Newest</Link>}
          {ledger.next && <Link rel="next" href={`/credits${withQuery(params, { after: encodeTimeIdCursor(ledger.next) })}`} className={buttonClass("secondary")}>Older →</Link>}
        </div>
      </section>
    </div>
  );
});

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3">
      <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums">{value}</p>
    </div>
  );
}
