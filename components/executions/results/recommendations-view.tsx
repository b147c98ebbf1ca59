"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { applyAction, decideAction, previewApplyAction, revertAction } from "@/app/(app)/executions/[id]/apply-actions";
import { Button } from "@/components/ui/button";
import { formatNumber } from "@/components/ui/format";
import type { Recommendation } from "@/db/schema";
import type { ApplySelection, ChangeOutcome, PlannedChange } from "@/lib/results/apply";
import { priorities, recommendationSorts, recommendationStatuses, type RecommendationFilter } from "@/lib/results/recommendation-filter";
import { PriorityBadge } from "./priority-badge";
import { ValueDiff } from "./value-diff";

type Props = {
  executionId: string;
  rows: Recommendation[];
  total: number;
  page: number;
  pageCount: number;
  filter: RecommendationFilter;
  canApply: boolean;
};

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";
const statusStyles: Record<Recommendation["status"], string> = {
  pending: "text-slate-600", approved: "text-indigo-700", rejected: "text-slate-400 line-through", applied: "text-emerald-700", failed: "text-rose-700", reverted: "text-amber-700",
};

/** Review, approve or reject, preview and apply an execution's recommendations; revert applied ones. */
export function RecommendationsView({ executionId, rows, total, page, pageCount, filter, canApply }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [isAllMatching, setIsAllMatching] = useState(false);
  const [preview, setPreview] = useState<{ changes: PlannedChange[]; skipped: ChangeOutcome[] } | null>(null);
  const [outcomes, setOutcomes] = useState<ChangeOutcome[] | null>(null);
  const [message, setMessage] = useState<{ text: string; isError: boolean } | null>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);

  const selection: ApplySelection = isAllMatching ? { allMatching: filter } : { ids: [...selected] };
  const selectedCount = isAllMatching ? total : selected.size;

  const navigate = (changes: Record<string, string | string[] | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      for (const v of [value ?? []].flat()) if (v) next.append(key, v);
    }
    if (!("rpage" in changes)) next.delete("rpage");
    setSelected(new Set());
    setIsAllMatching(false);
    startTransition(() => router.push(`${pathname}?${next}#recommendations`, { scroll: false }));
  };
  const report = (result: { ok: true } | { ok: false; message: string }, success: string) => {
    setMessage(result.ok ? { text: success, isError: false } : { text: result.message, isError: true });
    if (result.ok) router.refresh();
  };

  return (
    <div id="recommendations" className="space-y-3">
      <form role="search" aria-label="Filter recommendations" className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); navigate({ rq: new FormData(e.currentTarget).get("rq") as string }); }}>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-500">Priority</span>
          <select aria-label="Priority" className={field} value={filter.priority[0] ?? ""} onChange={(e) => navigate({ rp: e.target.value || null })}>
            <option value="">Any</option>
            {priorities.map((p) => <option key={p} value={p} className="capitalize">{p[0]!.toUpperCase() + p.slice(1)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-500">Status</span>
          <select aria-label="Status" className={field} value={filter.status[0] ?? ""} onChange={(e) => navigate({ rs: e.target.value || null })}>
            <option value="">Any</option>
            {recommendationStatuses.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-500">Item or field</span>
          <input name="rq" type="search" aria-label="Item or field" defaultValue={filter.q} placeholder="Search…" className={`${field} w-48`} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-500">Sort by</span>
          <select aria-label="Sort by" className={field} value={filter.sort} onChange={(e) => navigate({ rsort: e.target.value === "priority" ? null : e.target.value })}>
            {Object.entries(recommendationSorts).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <p className="pb-1.5 text-sm text-slate-500" aria-live="polite">{formatNumber(total)} matching</p>
      </form>

      {canApply && (
        <div className="flex flex-wrap items-center gap-2" aria-label="Selected recommendations">
          <span className="text-sm text-slate-600">{formatNumber(selectedCount)} selected</span>
          {!isAllMatching && total > rows.length && selected.size === rows.length && rows.length > 0 && (
            <button type="button" className="text-sm text-indigo-700 hover:underline" onClick={() => setIsAllMatching(true)}>Select all {formatNumber(total)} matching</button>
          )}
          <Button variant="secondary" disabled={selectedCount === 0 || isAllMatching || isPending} onClick={() => startTransition(async () => report(await decideAction(executionId, [...selected], "approved"), "Approved."))}>Approve</Button>
          <Button variant="secondary" disabled={selectedCount === 0 || isAllMatching || isPending} onClick={() => startTransition(async () => report(await decideAction(executionId, [...selected], "rejected"), "Rejected."))}>Reject</Button>
          <Button
            disabled={selectedCount === 0 || isPending}
            onClick={() => startTransition(async () => {
              const result = await previewApplyAction(executionId, selection);
              if (!result.ok) return setMessage({ text: result.message, isError: true });
              setOutcomes(null);
              setPreview(result);
              dialog.current?.showModal();
            })}
          >
            Preview and apply…
          </Button>
        </div>
      )}
      {message && <p role={message.isError ? "alert" : "status"} className={message.isError ? "text-rose-700" : "text-emerald-700"}>{message.text}</p>}

      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-slate-500">No recommendations match these filters.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                {canApply && (
                  <th scope="col" className="w-8 px-3 py-2">
                    <input type="checkbox" aria-label="Select all on this page" checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                      onChange={(e) => { setIsAllMatching(false); setSelected(new Set(e.target.checked ? rows.map((r) => r.id) : [])); }} />
                  </th>
                )}
                <th scope="col" className="px-3 py-2">Item</th>
                <th scope="col" className="px-3 py-2">Field</th>
                <th scope="col" className="px-3 py-2">Change</th>
                <th scope="col" className="px-3 py-2">Priority</th>
                <th scope="col" className="px-3 py-2">Status</th>
                {canApply && <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((rec) => (
                <tr key={rec.id} data-testid="recommendation-row" data-priority={rec.priority} data-status={rec.status} data-item={`${rec.itemType}:${rec.itemRef}`} data-field={rec.field} data-before={rec.beforeValue ?? ""} data-after={rec.editedValue ?? rec.afterValue} className="align-top">
                  {canApply && (
                    <td className="px-3 py-2">
                      <input type="checkbox" aria-label={`Select ${rec.field} of ${rec.itemLabel}`} checked={isAllMatching || selected.has(rec.id)}
                        onChange={(e) => { setIsAllMatching(false); setSelected((prev) => { const next = new Set(prev); if (e.target.checked) next.add(rec.id); else next.delete(rec.id); return next; }); }} />
                    </td>
                  )}
                  <td className="max-w-48 px-3 py-2 font-medium">{rec.itemLabel}<div className="text-xs font-normal text-slate-500">{rec.itemType}</div></td>
                  <td className="px-3 py-2 font-mono text-xs">{rec.field}</td>
                  <td className="max-w-xl px-3 py-2">
                    <ValueDiff before={rec.beforeValue} after={rec.editedValue ?? rec.afterValue} />
                    <p className="mt-1 text-xs text-slate-500">{rec.rationale}{rec.editedValue !== null && " · edited by hand"}</p>
                    {rec.status === "failed" && rec.applyError && <p className="mt-1 text-xs text-rose-700">{rec.applyError}</p>}
                  </td>
                  <td className="px-3 py-2"><PriorityBadge priority={rec.priority} /></td>
                  <td className={`px-3 py-2 capitalize ${statusStyles[rec.status]}`}>{rec.status}</td>
                  {canApply && (
                    <td className="px-3 py-2">
                      {rec.status === "applied" && (
                        <Button variant="ghost" disabled={isPending} onClick={() => startTransition(async () => report(await revertAction(executionId, rec.id), `Reverted ${rec.field} of ${rec.itemLabel}.`))}>Revert</Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 && (
        <nav aria-label="Recommendation pages" className="flex items-center justify-end gap-2 text-sm">
          <Button variant="secondary" disabled={page <= 1 || isPending} onClick={() => navigate({ rpage: String(page - 1) })}>← Previous</Button>
          <span className="text-slate-500">Page {page} of {pageCount}</span>
          <Button variant="secondary" disabled={page >= pageCount || isPending} onClick={() => navigate({ rpage: String(page + 1) })}>Next →</Button>
        </nav>
      )}

      <dialog ref={dialog} aria-labelledby="apply-title" className="m-auto w-full max-w-3xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="space-y-3 p-5">
          <h2 id="apply-title" className="text-lg font-semibold">
            {outcomes ? "Applied to the store" : `Apply ${formatNumber(preview?.changes.length ?? 0)} change${preview?.changes.length === 1 ? "" : "s"} to the store?`}
          </h2>
          {outcomes ? <OutcomeList outcomes={outcomes} /> : (
            <>
              <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm" aria-label="Changes to apply">
                {preview?.changes.map((c) => (
                  <li key={c.id} className="px-3 py-2">
                    <p className="font-medium">{c.itemLabel} <span className="font-mono text-xs text-slate-500">{c.field}</span></p>
                    <ValueDiff before={c.beforeValue} after={c.value} />
                  </li>
                ))}
              </ul>
              {preview && preview.skipped.length > 0 && <p className="text-sm text-slate-500">{preview.skipped.length} selected will be skipped: {preview.skipped[0]!.reason}</p>}
              <p className="text-sm text-slate-600">Each change is written only if the store still holds the value the agent saw. You can revert applied changes later.</p>
            </>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>{outcomes ? "Close" : "Cancel"}</Button>
            {!outcomes && (
              <Button
                disabled={isPending || !preview?.changes.length}
                onClick={() => startTransition(async () => {
                  const result = await applyAction(executionId, { ids: preview!.changes.map((c) => c.id) });
                  if (!result.ok) return setMessage({ text: result.message, isError: true });
                  setOutcomes(result.outcomes);
                  setSelected(new Set());
                  setIsAllMatching(false);
                  router.refresh();
                })}
              >
                {isPending ? "Applying…" : `Apply ${formatNumber(preview?.changes.length ?? 0)} change${preview?.changes.length === 1 ? "" : "s"}`}
              </Button>
            )}
          </div>
        </div>
      </dialog>
    </div>
  );
}

function OutcomeList({ outcomes }: { outcomes: ChangeOutcome[] }) {
  const applied = outcomes.filter((o) => o.outcome === "applied" || o.outcome === "already_applied").length;
  const failed = outcomes.filter((o) => o.outcome === "failed" || o.outcome === "skipped");
  return (
    <div className="space-y-2 text-sm" role="status">
      <p>{formatNumber(applied)} applied{failed.length ? ` · ${formatNumber(failed.length)} not applied` : ""}.</p>
      {failed.length > 0 && (
        <ul className="max-h-64 divide-y divide-slate-100 overflow-y-auto rounded border border-rose-200">
          {failed.map((o) => <li key={o.id} className="px-3 py-1.5"><span className="font-medium">{o.itemLabel}</span> ({o.field}): <span className="text-rose-700">{o.reason}</span></li>)}
        </ul>
      )}
    </div>
  );
}
