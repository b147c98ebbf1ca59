import type { Metadata } from "next";
import Link from "next/link";
import { HistoryTabs } from "@/components/executions/history-tabs";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { EmptyState } from "@/components/ui/table";
import { agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { listSharedWithMe } from "@/lib/executions/queries";
import { progressOf } from "@/lib/executions/progress";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Shared with me" };

export default async function SharedWithMePage() {
  const ctx = await requireSessionContext();
  const rows = await listSharedWithMe(ctx);
  return (
    <div className="space-y-4">
      <PageHeader title="Shared with me">Executions colleagues shared with you, with what they asked you to look at.</PageHeader>
      <HistoryTabs current="/shared" />
      {rows.length === 0 ? (
        <EmptyState>Nothing has been shared with you yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rows.map((row) => (
            <li key={row.id} data-testid="shared-row" className="flex items-start justify-between gap-4 px-4 py-3">
              <div className="min-w-0">
                <div className="flex items-center gap-2">
                  <Link href={`/executions/${row.id}`} className="font-medium hover:text-indigo-700">{agentName(row.agentId)}</Link>
                  <StatusBadge status={row.status} />
                </div>
                <p className="text-slate-500">
                  Shared by {row.share.sharedByName ?? "a former member"} · <LocalTime iso={row.share.sharedAt.toISOString()} /> ·{" "}
                  {row.share.permission === "apply" ? "can apply recommendations" : "view only"}
                </p>
                {row.share.message && <p className="mt-1 text-slate-700">“{row.share.message}”</p>}
              </div>
              <p className="shrink-0 text-slate-500">{progressOf(row).summary}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
