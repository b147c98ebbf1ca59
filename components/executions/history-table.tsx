"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { cancelExecutionsAction, deleteExecutionsAction } from "@/app/(app)/executions/actions";
import { Button } from "@/components/ui/button";
import { formatCredits, formatDuration, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";
import { EmptyState } from "@/components/ui/table";
import type { ExecutionStatus } from "@/db/schema";
import { cancelSummary, deletionSummary } from "@/lib/executions/bulk-summary";
import { downloadOptions } from "@/lib/exports/formats";
import { compareHref, maxComparedRuns, minComparedRuns } from "@/lib/compare/compare-request";

/** One row as the list shows it: formatted on the server, permissions decided there. */
export type HistoryRow = {
  id: string;
  agentId: string;
  agentName: string;
  status: ExecutionStatus;
  who: string;
  startedAt: string;
  durationMs: number | null;
  credits: number;
  isSettled: boolean;
  itemsProcessed: number;
  itemsTotal: number;
  preview: string | null;
  canDelete: boolean;
  canCancel: boolean;
  canShare: boolean;
};

type Pending = { ids: string[]; label: string } | null;

export function HistoryTable({ rows, emptyText }: { rows: HistoryRow[]; emptyText: string }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pendingDelete, setPendingDelete] = useState<Pending>(null);
  const [notice, setNotice] = useState<{ text: string; isError: boolean } | null>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);

  // Any row may be selected: runs someone cannot delete can still be compared.
  const selectable = rows;
  const chosen = rows.filter((r) => selected.has(r.id));
  const deletable = chosen.filter((r) => r.canDelete);
  const cancelable = chosen.filter((r) => r.canCancel);
  const cannotCompare = whyNotComparable(chosen);

  const askDelete = (ids: string[], label: string) => {
    setPendingDelete({ ids, label });
    dialog.current?.showModal();
  };
  const finish = (text: string, isDone: boolean) => {
    setNotice({ text, isError: !isDone });
    if (isDone) setSelected(new Set());
    router.refresh();
  };

  if (rows.length === 0) return <EmptyState>{emptyText}</EmptyState>;
  return (
    <div className="space-y-2">
      {chosen.length > 0 && (
        <div className="flex flex-wrap items-center gap-3 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2" aria-label="Selected executions">
          <span className="font-medium text-indigo-900">{chosen.length} selected</span>
          <Button variant="danger" disabled={deletable.length === 0 || isPending} onClick={() => askDelete(deletable.map((r) => r.id), `${deletable.length} execution${deletable.length === 1 ? "" : "s"}`)}>
            Delete selected
          </Button>
          <Button variant="secondary" disabled={cancelable.length === 0 || isPending} onClick={() => startTransition(async () => {
            const result = await cancelExecutionsAction(cancelable.map((r) => r.id));
            finish(result.ok ? cancelSummary(result) : result.message, result.ok);
          })}>
            Cancel selected running ({cancelable.length})
          </Button>
          <Button variant="secondary" disabled={cannotCompare !== null} title={cannotCompare ?? "Compare these runs side by side"} onClick={() => router.push(compareHref(chosen.map((r) => r.id)))}>
            Compare
          </Button>
          <Button variant="ghost" onClick={() => setSelected(new Set())}>Clear selection</Button>
        </div>
      )}
      {notice && <p role={notice.isError ? "alert" : "status"} className={notice.isError ? "text-rose-700" : "text-emerald-700"}>{notice.text}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="w-8 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all on this page"
                  disabled={selectable.length === 0}
                  checked={selectable.length > 0 && selectable.every((r) => selected.has(r.id))}
                  onChange={(e) => setSelected(new Set(e.target.checked ? selectable.map((r) => r.id) : []))}
                />
              </th>
              <th scope="col" className="px-3 py-2">Agent</th>
              <th scope="col" className="px-3 py-2">Status</th>
              <th scope="col" className="px-3 py-2">Started</th>
              <th scope="col" className="px-3 py-2 text-right">Duration</th>
              <th scope="col" className="px-3 py-2 text-right">Credits</th>
              <th scope="col" className="px-3 py-2 text-right">Scope</th>
              <th scope="col" className="px-3 py-2">Preview</th>
              <th scope="col" className="w-10 px-3 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} data-testid="execution-row" data-status={row.status} data-agent={row.agentId} className="whitespace-nowrap hover:bg-slate-50">
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.agentName} run of ${row.startedAt}`}
                    checked={selected.has(row.id)}
                    onChange={(e) => setSelected((previous) => {
                      const next = new Set(previous);
                      if (e.target.checked) next.add(row.id);
                      else next.delete(row.id);
                      return next;
                    })}
                  />
                </td>
                <td className="px-3 py-2">
                  <Link href={`/executions/${row.id}`} data-testid="execution-link" className="font-medium text-slate-900 hover:text-indigo-700">{row.agentName}</Link>
                  <div className="text-xs text-slate-500">{row.who}</div>
                </td>
                <td className="px-3 py-2"><StatusBadge status={row.status} /></td>
                <td className="px-3 py-2"><LocalTime iso={row.startedAt} /></td>
                <td className="px-3 py-2 text-right tabular-nums">{formatDuration(row.durationMs)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {row.isSettled ? formatCredits(row.credits) : <span title="Reserved until the run finishes">{formatCredits(row.credits)} <span className="text-xs text-slate-400">held</span></span>}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatNumber(row.itemsProcessed)} / {formatNumber(row.itemsTotal)}</td>
                <td className="max-w-md truncate px-3 py-2 text-slate-600" title={row.preview ?? undefined}>{row.preview ?? "—"}</td>
                <td className="px-3 py-2"><RowMenu row={row} onDelete={() => askDelete([row.id], `this ${row.agentName} execution`)} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDeleteDialog
        dialogRef={dialog}
        label={pendingDelete?.label ?? ""}
        isPending={isPending}
        onClose={() => setPendingDelete(null)}
        onConfirm={() => {
          const ids = pendingDelete?.ids ?? [];
          startTransition(async () => {
            const result = await deleteExecutionsAction(ids);
            dialog.current?.close();
            finish(result.ok ? deletionSummary(result) : result.message, result.ok);
          });
        }}
      />
    </div>
  );
}

/** Why the selected rows cannot be compared, or null when they can. */
function whyNotComparable(chosen: HistoryRow[]): string | null {
  if (chosen.length < minComparedRuns) return `Select ${minComparedRuns} to ${maxComparedRuns} runs of one agent to compare them`;
  if (chosen.length > maxComparedRuns) return `Compare at most ${maxComparedRuns} runs at a time`;
  if (new Set(chosen.map((r) => r.agentId)).size > 1) return "Only runs of the same agent can be compared";
  return null;
}

/** The three-dots menu of one row. */
function RowMenu({ row, onDelete }: { row: HistoryRow; onDelete: () => void }) {
  const item = "block w-full px-3 py-1.5 text-left hover:bg-slate-100";
  const unavailable = "block w-full cursor-not-allowed px-3 py-1.5 text-left text-slate-400";
  return (
    <details className="relative">
      <summary aria-label={`Actions for ${row.agentName} run of ${row.startedAt}`} className="cursor-pointer list-none rounded px-2 py-0.5 text-slate-500 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">⋯</summary>
      <div role="menu" className="absolute right-0 z-10 mt-1 w-48 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
        <Link role="menuitem" href={`/executions/${row.id}`} className={item}>Open</Link>
        <Link role="menuitem" href={`/agents/${row.agentId}?from=${row.id}`} className={item}>Run again</Link>
        {row.canShare && <Link role="menuitem" href={`/executions/${row.id}?share=1`} className={item}>Share…</Link>}
        {row.status !== "queued" && row.status !== "running" && (
          <div role="group" aria-label="Download" className="my-1 border-y border-slate-100 py-1">
            {downloadOptions(row.id, row.agentId).map((option) => (
              <a key={option.href} role="menuitem" href={option.href} download className={item} onClick={(e) => e.currentTarget.closest("details")?.removeAttribute("open")}>Download {option.label}</a>
            ))}
          </div>
        )}
        {row.canDelete ? (
          <button type="button" role="menuitem" className={`${item} text-rose-700`} onClick={(e) => { e.currentTarget.closest("details")?.removeAttribute("open"); onDelete(); }}>Delete…</button>
        ) : (
          <span role="menuitem" aria-disabled="true" title={row.canCancel ? "Cancel the run before deleting it" : "Only the person who started it, or an admin, can delete it"} className={unavailable}>Delete…</span>
        )}
      </div>
    </details>
  );
}
