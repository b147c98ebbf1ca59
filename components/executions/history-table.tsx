"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { PopoverMenu, menuItemClass, unavailableMenuItemClass } from "@/components/ui/popover-menu";
import { useToast } from "@/components/ui/toaster";
import { SortableHeader } from "./history-sort";
import { cancelExecutionsAction, deleteExecutionsAction } from "@/app/(app)/executions/actions";
import { Button } from "@/components/ui/button";
import { formatCount, formatCredits, formatDuration, formatMomentLabel, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";
import { EmptyState } from "@/components/ui/table";
import type { ExecutionStatus } from "@/db/schema";
import { cancelSummary, deletionSummary } from "@/lib/executions/bulk-summary";
import { downloadOptions, type RunContents } from "@/lib/exports/formats";
import type { Snippet } from "@/lib/executions/search";
import { compareHref, maxComparedRuns, minComparedRuns } from "@/lib/compare/compare-request";
import { reachable } from "@/lib/http/reachable-action";

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
  /** What the run holds to download, or null while it runs. */
  contents: RunContents | null;
  /** Where the search's words show in the run, when the list is a search. */
  snippet?: Snippet | null;
  /** The UTC day it leaves the history, when that is within 14 days. */
  archivesOn?: string | null;
};

type Pending = { ids: string[]; label: string } | null;

/** Clicks on these inside a row do their own thing rather than open the run. */
const interactive = "a, button, input, label, select, textarea, [role=menu], [role=menuitem]";

/** `acrossPages`: shown in the selection bar once every row of the page is ticked and more pages match ("Select all N matching"). */
export function HistoryTable({ rows, emptyText, acrossPages }: { rows: HistoryRow[]; emptyText: string; acrossPages?: React.ReactNode }) {
  const router = useRouter();
  const toast = useToast();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pendingDelete, setPendingDelete] = useState<Pending>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);

  // Any row may be selected: runs someone cannot delete can still be compared.
  const chosen = rows.filter((r) => selected.has(r.id));
  const deletable = chosen.filter((r) => r.canDelete);
  const cancelable = chosen.filter((r) => r.canCancel);
  const cannotCompare = whyNotComparable(chosen);
  const isAllSelected = rows.every((r) => selected.has(r.id));
  const selectAll = (isOn: boolean) => setSelected(new Set(isOn ? rows.map((r) => r.id) : []));

  const askDelete = (ids: string[], label: string) => {
    setPendingDelete({ ids, label });
    dialog.current?.showModal();
  };
  const finish = (text: string, isDone: boolean) => {
    toast(text, { isError: !isDone });
    if (isDone) setSelected(new Set());
    router.refresh();
  };

  if (rows.length === 0) return <EmptyState>{emptyText}</EmptyState>;
  return (
    <div className="space-y-2">
      {chosen.length > 0 && (
        <div className="sticky top-0 z-20 flex flex-wrap items-center gap-3 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2 shadow-sm" aria-label="Selected executions" role="region">
          <span className="font-medium text-indigo-900">{chosen.length} selected</span>
          <Button variant="danger" disabled={deletable.length === 0 || isPending} onClick={() => askDelete(deletable.map((r) => r.id), formatCount(deletable.length, "execution"))}>
            Delete selected
          </Button>
          <Button variant="secondary" disabled={cancelable.length === 0 || isPending} onClick={() => startTransition(async () => {
            const result = await reachable(cancelExecutionsAction)(cancelable.map((r) => r.id));
            finish(result.ok ? cancelSummary(result) : result.message, result.ok);
          })}>
            Cancel selected running ({cancelable.length})
          </Button>
          <Button variant="secondary" disabled={cannotCompare !== null} title={cannotCompare ?? "Compare these runs side by side"} onClick={() => router.push(compareHref(chosen.map((r) => r.id)))}>
            Compare
          </Button>
          {acrossPages && isAllSelected && acrossPages}
          <Button variant="ghost" onClick={() => setSelected(new Set())}>Clear selection</Button>
        </div>
      )}
      {/* On a phone the table's head is hidden (rows stack as cards), and with it the header's box. */}
      <label className="flex items-center gap-2 px-1 text-slate-700 sm:hidden">
        <input type="checkbox" checked={isAllSelected} onChange={(e) => selectAll(e.target.checked)} />
        Select all on this page
      </label>
      <div className="rounded-lg border border-slate-200 bg-white">
        <table className="history-table stack-table w-full table-fixed divide-y divide-slate-200">
          <colgroup>
            <col className="w-10" />
            <col className="w-44" />
            <col className="w-28" />
            <col className="w-40" />
            <col className="w-28" />
            <col className="w-20" />
            <col className="w-28" />
            <col />
            <col className="w-14" />
          </colgroup>
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col">
                <input type="checkbox" aria-label="Select all on this page" checked={isAllSelected} onChange={(e) => selectAll(e.target.checked)} />
              </th>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              <SortableHeader column="started">Started</SortableHeader>
              <SortableHeader column="duration" align="right">Duration</SortableHeader>
              <SortableHeader column="credits" align="right">Credits</SortableHeader>
              <th scope="col" className="text-right">Scope</th>
              <th scope="col">Preview</th>
              <th scope="col" className="sticky right-0 bg-slate-50"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => {
              const when = formatMomentLabel(row.startedAt);
              return (
                <tr
                  key={row.id}
                  data-testid="execution-row"
                  data-status={row.status}
                  data-agent={row.agentId}
                  className="group cursor-pointer hover:bg-slate-50"
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest(interactive)) return;
                    if (e.metaKey || e.ctrlKey) window.open(`/executions/${row.id}`, "_blank");
                    else router.push(`/executions/${row.id}`);
                  }}
                >
                  <td className="max-sm:absolute max-sm:left-1 max-sm:top-2">
                    <input
                      type="checkbox"
                      aria-label={`Select ${row.agentName} run of ${when}`}
                      checked={selected.has(row.id)}
                      onChange={(e) => setSelected((previous) => {
                        const next = new Set(previous);
                        if (e.target.checked) next.add(row.id);
                        else next.delete(row.id);
                        return next;
                      })}
                    />
                  </td>
                  <td className="truncate">
                    <Link href={`/executions/${row.id}`} data-testid="execution-link" className="font-medium text-slate-900 hover:text-indigo-700">{row.agentName}</Link>
                    <div className="truncate text-xs text-slate-600">{row.who}</div>
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={row.status} />
                    {row.archivesOn && <div className="whitespace-nowrap text-xs text-amber-800">archives on {row.archivesOn}</div>}
                  </td>
                  <td data-label="Started"><LocalTime iso={row.startedAt} /></td>
                  <td className="num" data-label="Duration">{formatDuration(row.durationMs)}</td>
                  <td className="num" data-label="Credits">
                    {row.isSettled ? formatCredits(row.credits) : <span title="Reserved until the run finishes">{`${formatCredits(row.credits)} `}<span className="text-xs text-slate-600">held</span></span>}
                  </td>
                  <td className="num" data-label="Scope">{`${formatNumber(row.itemsProcessed)} / ${formatNumber(row.itemsTotal)}`}</td>
                  <td className="text-slate-700" data-label="Preview">
                    {row.preview ? <span tabIndex={0} className="preview-text" data-full={row.preview}>{row.preview}</span> : "—"}
                    {row.snippet && (
                      <div className="truncate text-xs text-slate-600" data-testid="search-snippet" title={`${row.snippet.before}${row.snippet.match}${row.snippet.after}`}>
                        <span className="font-medium">{row.snippet.source}:</span> {row.snippet.before}<mark className="rounded bg-amber-100 px-0.5 text-slate-900">{row.snippet.match}</mark>{row.snippet.after}
                      </div>
                    )}
                  </td>
                  <td className="row-actions">
                    <RowMenu row={row} when={when} onDelete={() => askDelete([row.id], `this ${row.agentName} execution`)} />
                  </td>
                </tr>
              );
            })}
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
            const result = await reachable(deleteExecutionsAction)(ids);
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

/** The ⋯ menu of one row. */
function RowMenu({ row, when, onDelete }: { row: HistoryRow; when: string; onDelete: () => void }) {
  return (
    <PopoverMenu label={`Actions for ${row.agentName} run of ${when}`} trigger={<span aria-hidden>⋯</span>} triggerClassName="rounded px-2 py-0.5 text-base leading-5 text-slate-600 hover:bg-slate-100">
      <Link role="menuitem" href={`/executions/${row.id}`} className={menuItemClass}>Open</Link>
      <Link role="menuitem" href={`/agents/${row.agentId}?from=${row.id}`} className={menuItemClass}>Run again</Link>
      {row.canShare && <Link role="menuitem" href={`/executions/${row.id}?share=1`} className={menuItemClass}>Share…</Link>}
      {row.contents && (
        <div role="group" aria-label="Download" className="my-1 border-y border-slate-100 py-1">
          {downloadOptions(row.id, row.agentId, row.contents).map((option) => (
            <a key={option.href} role="menuitem" href={option.href} download className={menuItemClass}>Download {option.label}</a>
          ))}
        </div>
      )}
      {row.canDelete ? (
        <button type="button" role="menuitem" className={`${menuItemClass} text-rose-700`} onClick={onDelete}>Delete…</button>
      ) : (
        <span role="menuitem" tabIndex={-1} aria-disabled="true" title={row.canCancel ? "Cancel the run before deleting it" : "Only the person who started it, or an admin, can delete it"} className={unavailableMenuItemClass}>Delete…</span>
      )}
    </PopoverMenu>
  );
}
