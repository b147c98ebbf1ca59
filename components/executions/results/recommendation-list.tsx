"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { applyAction, decideAction, decideAllMatchingAction, planDecideAllMatchingAction, previewApplyAction, previewApplyAllMatchingAction, revertAction } from "@/app/(app)/executions/[id]/apply-actions";
import { announceNavigation } from "@/components/shell/navigation-progress";
import { Button, buttonClass } from "@/components/ui/button";
import { formatCount, formatNumber } from "@/components/ui/format";
import { useToast } from "@/components/ui/toaster";
import type { ChangeOutcome, PlannedChange } from "@/lib/results/apply";
import type { ApplyAllPreview } from "@/lib/results/apply-in-parts";
import { fieldLabel } from "@/lib/results/field-labels";
import { decidableStatuses, encodeRecommendationCursor, priorities, recommendationQuery, recommendationSorts, recommendationStatuses, type RecommendationFilter } from "@/lib/results/recommendation-filter";
import type { DecisionPlan, RecommendationView, RecommendationViewPage } from "@/lib/results/recommendations";
import { reachable } from "@/lib/http/reachable-action";
import { ApplyAllMatching } from "./apply-all-matching";
import { GeneratedTextEditor } from "./generated-text-editor";
import { PriorityBadge } from "./priority-badge";
import { BeforeValue, AfterValue } from "./value-diff";

type Props = {
  executionId: string;
  page: RecommendationViewPage;
  filter: RecommendationFilter;
  canApply: boolean;
  /** Generated texts: rows can be edited before they apply, up to this many characters; null for fixes to existing fields. */
  maxTextLength: number | null;
};

type Decision = "approved" | "rejected";
type Confirming =
  /** `rows`, the ticked ones the decision changes; of the rest, `already` are in that state, `settled` applied or reverted. */
  | { kind: "decide"; decision: Decision; rows: RecommendationView[]; already: number; settled: number }
  /** Every recommendation `filter` matches: `plan.toApprove` or `plan.toReject` is the count the person confirms; `problem`, why the last confirm was refused. */
  | { kind: "decideAll"; decision: Decision; filter: RecommendationFilter; plan: DecisionPlan; problem: string | null }
  | { kind: "apply"; changes: PlannedChange[]; skipped: ChangeOutcome[] }
  /** Every recommendation `filter` (as previewed) matches, applied in parts. */
  | { kind: "applyAll"; filter: RecommendationFilter; preview: ApplyAllPreview };

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";
const statusLabels: Record<RecommendationView["status"], string> = {
  pending: "Pending", approved: "Approved", rejected: "Rejected", applied: "Applied", failed: "Could not apply", reverted: "Reverted",
};
const statusStyles: Record<RecommendationView["status"], string> = {
  pending: "text-slate-700", approved: "text-indigo-700", rejected: "text-slate-600 line-through", applied: "text-emerald-700", failed: "text-rose-700", reverted: "text-amber-800",
};
const verb = { approved: "Approve", rejected: "Reject" } as const;

/** How many of the plan's matches the decision changes: those not applied, reverted or already so decided. */
function changedBy(plan: DecisionPlan, decision: Decision): number {
  return decision === "approved" ? plan.toApprove : plan.toReject;
}

/**
 * What a decision leaves alone, in words: "12 matching recommendations already approved and 3
 * applied or reverted are left as they are"; null when it changes every one.
 */
function leftAloneSentence(noun: string, decision: Decision, already: number, settled: number): string | null {
  const total = already + settled;
  if (total === 0) return null;
  const which = already > 0 && settled > 0
    ? `${formatCount(already, noun)} already ${decision} and ${formatNumber(settled)} applied or reverted`
    : already > 0 ? `${formatCount(already, noun)} already ${decision}` : `${formatCount(settled, noun)} already applied or reverted`;
  return `${which} ${total === 1 ? "is left as it is" : "are left as they are"}.`;
}

/** Whether two filters match the same recommendations (the sort only orders them). */
function isSameSet(a: RecommendationFilter, b: RecommendationFilter): boolean {
  return JSON.stringify([a.priority, a.status, a.q]) === JSON.stringify([b.priority, b.status, b.q]);
}

/**
 * An execution's one list of recommendations (or generated texts): filter and sort in the
 * URL, 25 a page by keyset, each row with its checkbox, Approve / Reject (Revert once
 * applied, Edit for a text), and Before | After in words. Ticked rows stay ticked across
 * pages; the bar says how many the current page does not show, a confirmation lists exactly
 * what changes, and every decision or filter change clears the selection. With every row of
 * the page ticked, "Select all N matching" makes Approve, Reject and Apply act on every
 * recommendation the filter matches: the confirm counts them and sends that count, which the
 * server refuses (and the dialog shows the new count) if the filter changes another number now.
 */
export function RecommendationList({ executionId, page, filter, canApply, maxTextLength }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const toast = useToast();
  const [selected, setSelected] = useState<Map<string, RecommendationView>>(new Map());
  /** The filter whose every match was selected ("Select all N matching"), or null. */
  const [allMatchingOf, setAllMatchingOf] = useState<RecommendationFilter | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);
  /**
   * The button that asked for the dialog, given the focus back when it closes: one that counts
   * first is disabled while it counts, which drops the focus, so the dialog alone would give it
   * back to the page.
   */
  const opener = useRef<HTMLElement | null>(null);
  const allSelectedNote = useRef<HTMLSpanElement>(null);
  const { rows, total, offset } = page;

  const shownIds = new Set(rows.map((r) => r.id));
  const hiddenCount = [...selected.keys()].filter((id) => !shownIds.has(id)).length;
  // A filter changed another way (back and forward in the browser) is not the one chosen.
  const isAllMatching = allMatchingOf !== null && isSameSet(allMatchingOf, filter);
  const isPageSelected = isAllMatching || (rows.length > 0 && rows.every((r) => selected.has(r.id)));
  const clearSelection = () => {
    setSelected(new Map());
    setAllMatchingOf(null);
  };
  const selectPage = (isOn: boolean) => {
    if (!isOn) setAllMatchingOf(null);
    setSelected((previous) => {
      const next = new Map(previous);
      for (const r of rows) if (isOn) next.set(r.id, r); else next.delete(r.id);
      return next;
    });
  };
  const selectAllMatching = () => {
    setAllMatchingOf(filter);
    // The button goes away: the sentence that replaces it takes the focus, and reads it out.
    requestAnimationFrame(() => allSelectedNote.current?.focus());
  };

  const pageHref = (position: Partial<Record<"rafter" | "rbefore", string>>) => `${pathname}${recommendationQuery(params, filter, position)}`;
  const changeFilter = (next: Partial<RecommendationFilter>) => {
    clearSelection();
    announceNavigation();
    startTransition(() => router.push(`${pathname}${recommendationQuery(params, { ...filter, ...next })}`, { scroll: false }));
  };
  const toggle = (rec: RecommendationView, isOn: boolean) => {
    if (!isOn) setAllMatchingOf(null);
    setSelected((previous) => {
      const next = new Map(previous);
      if (isOn) next.set(rec.id, rec);
      else next.delete(rec.id);
      return next;
    });
  };
  const settle = (message: string, isError = false) => {
    toast(message, { isError });
    router.refresh();
  };

  const decideOne = (rec: RecommendationView, decision: Decision) => startTransition(async () => {
    const result = await reachable(decideAction)(executionId, [rec.id], decision);
    toggle(rec, false);
    if (!result.ok) return settle(result.message, true);
    settle(`${decision === "approved" ? "Approved" : "Rejected"} ${fieldLabel(rec.field).toLowerCase()} of ${rec.itemLabel}.`);
  });
  const revertOne = (rec: RecommendationView) => startTransition(async () => {
    const result = await reachable(revertAction)(executionId, rec.id);
    settle(result.ok ? `Reverted ${fieldLabel(rec.field).toLowerCase()} of ${rec.itemLabel}.` : result.message, !result.ok);
  });
  const askDecision = (decision: Decision) => {
    opener.current = document.activeElement as HTMLElement | null;
    if (isAllMatching) return askDecisionAll(decision);
    const rows = [...selected.values()];
    const open = rows.filter((r) => decidableStatuses.includes(r.status));
    const changing = open.filter((r) => r.status !== decision);
    setConfirming({ kind: "decide", decision, rows: changing, already: open.length - changing.length, settled: rows.length - open.length });
    dialog.current?.showModal();
  };
  /** Counts now what deciding every match would change: the number the dialog shows is the one the confirm sends. */
  const askDecisionAll = (decision: Decision) => startTransition(async () => {
    const counted = await reachable(planDecideAllMatchingAction)(executionId, filter);
    if (!counted.ok) return toast(counted.message, { isError: true });
    setConfirming({ kind: "decideAll", decision, filter, plan: counted.plan, problem: null });
    dialog.current?.showModal();
  });
  // Ticked rows are previewed whole and the confirm applies exactly those; every match is
  // counted, its first changes shown, and applied in parts (./apply-all-matching.tsx).
  const askApply = () => startTransition(async () => {
    opener.current = document.activeElement as HTMLElement | null;
    if (isAllMatching) {
      const counted = await reachable(previewApplyAllMatchingAction)(executionId, filter);
      if (!counted.ok) return toast(counted.message, { isError: true });
      setConfirming({ kind: "applyAll", filter, preview: counted.preview });
      return dialog.current?.showModal();
    }
    const preview = await reachable(previewApplyAction)(executionId, { ids: [...selected.keys()] });
    if (!preview.ok) return toast(preview.message, { isError: true });
    setConfirming({ kind: "apply", changes: preview.changes, skipped: preview.skipped });
    dialog.current?.showModal();
  });
  const confirm = () => startTransition(async () => {
    if (!confirming) return;
    if (confirming.kind === "decideAll") {
      const { decision, filter: chosen, plan } = confirming;
      const result = await reachable(decideAllMatchingAction)(executionId, chosen, changedBy(plan, decision), decision);
      if (!result.ok) {
        // The recommendations changed since the count (decided, applied elsewhere): the dialog
        // shows the new count, to confirm again.
        const recounted = await reachable(planDecideAllMatchingAction)(executionId, chosen);
        router.refresh();
        if (recounted.ok) return setConfirming({ ...confirming, plan: recounted.plan, problem: result.message });
        dialog.current?.close();
        return settle(result.message, true);
      }
      dialog.current?.close();
      clearSelection();
      return settle(`${decision === "approved" ? "Approved" : "Rejected"} ${formatCount(result.changed, "recommendation")}.`);
    }
    if (confirming.kind === "applyAll") return;
    if (confirming.kind === "decide") {
      const result = await reachable(decideAction)(executionId, confirming.rows.map((r) => r.id), confirming.decision);
      dialog.current?.close();
      clearSelection();
      if (!result.ok) return settle(result.message, true);
      return settle(`${confirming.decision === "approved" ? "Approved" : "Rejected"} ${formatCount(result.changed, "recommendation")}.`);
    }
    const result = await reachable(applyAction)(executionId, { ids: confirming.changes.map((c) => c.id) });
    dialog.current?.close();
    clearSelection();
    if (!result.ok) return settle(result.message, true);
    const { text, isError } = describeOutcomes(result.outcomes);
    settle(text, isError);
  });

  const selectedCount = selected.size;
  const hasChecks = canApply;
  const canSelectAllMatching = isPageSelected && !isAllMatching && total > rows.length;
  return (
    <div id="recommendations" className="space-y-3">
      <form role="search" aria-label="Filter recommendations" className="flex flex-wrap items-end gap-3" onSubmit={(e) => { e.preventDefault(); changeFilter({ q: String(new FormData(e.currentTarget).get("rq") ?? "").trim() }); }}>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Priority</span>
          <select aria-label="Priority" className={field} value={filter.priority[0] ?? ""} onChange={(e) => changeFilter({ priority: e.target.value ? [e.target.value as RecommendationFilter["priority"][number]] : [] })}>
            <option value="">Any</option>
            {priorities.map((p) => <option key={p} value={p}>{p[0]!.toUpperCase() + p.slice(1)}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Status</span>
          <select aria-label="Status" className={field} value={filter.status[0] ?? ""} onChange={(e) => changeFilter({ status: e.target.value ? [e.target.value as RecommendationFilter["status"][number]] : [] })}>
            <option value="">Any</option>
            {recommendationStatuses.map((s) => <option key={s} value={s}>{statusLabels[s]}</option>)}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Item or field</span>
          <input name="rq" type="search" aria-label="Item or field" defaultValue={filter.q} key={filter.q} placeholder="Search…" className={`${field} w-48`} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-slate-600">Sort by</span>
          <select aria-label="Sort by" className={field} value={filter.sort} onChange={(e) => changeFilter({ sort: e.target.value as RecommendationFilter["sort"] })}>
            {Object.entries(recommendationSorts).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <p className="pb-1.5 text-sm text-slate-600" aria-live="polite">{formatNumber(total)} matching</p>
      </form>

      {hasChecks && rows.length > 0 && (
        // On a phone the table's head is hidden (rows stack as cards), and with it the header's box.
        <label className="flex items-center gap-2 px-1 text-sm text-slate-700 sm:hidden">
          <input type="checkbox" checked={isPageSelected} onChange={(e) => selectPage(e.target.checked)} />
          Select all on this page
        </label>
      )}

      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-slate-600">No recommendations match these filters.</p>
      ) : (
        <div className="rounded-md border border-slate-200 bg-white">
          <table className="stack-table w-full table-fixed text-sm">
            <colgroup>
              {hasChecks && <col className="w-10" />}
              <col className="w-52" />
              <col />
              <col />
              <col className="w-32" />
              {hasChecks && <col className={maxTextLength !== null ? "w-64" : "w-48"} />}
            </colgroup>
            <thead className="border-b border-slate-200 bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-600 sm:sticky sm:top-[var(--run-header-height,0px)] sm:z-10">
              <tr>
                {hasChecks && (
                  <th scope="col" className="px-3 py-2">
                    <input type="checkbox" aria-label="Select all on this page" checked={isPageSelected} onChange={(e) => selectPage(e.target.checked)} />
                  </th>
                )}
                <th scope="col" className="px-3 py-2">Item and field</th>
                <th scope="col" className="px-3 py-2">Before</th>
                <th scope="col" className="px-3 py-2">After</th>
                <th scope="col" className="px-3 py-2">Priority, status</th>
                {hasChecks && <th scope="col" className="px-3 py-2"><span className="sr-only">Decide</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((rec) => (
                <RecommendationRow
                  key={rec.id}
                  rec={rec}
                  canApply={canApply}
                  maxTextLength={maxTextLength}
                  isSelected={isAllMatching || selected.has(rec.id)}
                  isPending={isPending}
                  onSelect={(isOn) => toggle(rec, isOn)}
                  onDecide={(decision) => decideOne(rec, decision)}
                  onRevert={() => revertOne(rec)}
                  onSaved={() => settle("Saved. This text is what applies.")}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {(page.prev || page.next) && (
        <nav aria-label="Recommendation pages" className="flex flex-wrap items-center justify-end gap-2 text-sm">
          <span className="text-slate-600">{formatNumber(offset + 1)}–{formatNumber(offset + rows.length)} of {formatNumber(total)}</span>
          {page.prev ? <Link scroll={false} rel="prev" href={pageHref({ rbefore: encodeRecommendationCursor(page.prev) })} className={buttonClass("secondary")}>← Previous</Link> : <span aria-disabled="true" className={buttonClass("secondary", "pointer-events-none opacity-50")}>← Previous</span>}
          {page.next ? <Link scroll={false} rel="next" href={pageHref({ rafter: encodeRecommendationCursor(page.next) })} className={buttonClass("secondary")}>Next →</Link> : <span aria-disabled="true" className={buttonClass("secondary", "pointer-events-none opacity-50")}>Next →</span>}
        </nav>
      )}

      {canApply && (selectedCount > 0 || isAllMatching) && (
        <div role="region" aria-label="Selected recommendations" className="sticky bottom-3 z-20 flex flex-wrap items-center gap-2 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2 shadow-md">
          {isAllMatching ? (
            <span ref={allSelectedNote} tabIndex={-1} className="font-medium text-indigo-900" data-testid="selection-count">All {formatNumber(total)} matching selected</span>
          ) : (
            <span className="font-medium text-indigo-900" data-testid="selection-count">
              {formatNumber(selectedCount)} selected{hiddenCount > 0 ? ` (${formatNumber(hiddenCount)} not on this page)` : ""}
            </span>
          )}
          <Button variant="secondary" disabled={isPending} onClick={() => askDecision("approved")}>Approve…</Button>
          <Button variant="secondary" disabled={isPending} onClick={() => askDecision("rejected")}>Reject…</Button>
          <Button disabled={isPending} onClick={askApply}>Preview and apply…</Button>
          {canSelectAllMatching && (
            <Button variant="ghost" className="text-indigo-800 underline" disabled={isPending} onClick={selectAllMatching}>Select all {formatNumber(total)} matching</Button>
          )}
          <Button variant="ghost" onClick={clearSelection}>Clear selection</Button>
        </div>
      )}

      <dialog ref={dialog} aria-labelledby="confirm-title" className="m-auto w-full max-w-3xl rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => { setConfirming(null); opener.current?.focus(); }}>
        {confirming?.kind === "decideAll" && <ConfirmAllMatching confirming={confirming} isPending={isPending} onCancel={() => dialog.current?.close()} onConfirm={confirm} />}
        {confirming?.kind === "applyAll" && (
          <ApplyAllMatching executionId={executionId} filter={confirming.filter} preview={confirming.preview} onClose={() => { dialog.current?.close(); router.refresh(); }} onStarted={clearSelection} onEnded={() => router.refresh()} />
        )}
        {confirming && confirming.kind !== "decideAll" && confirming.kind !== "applyAll" && <ConfirmChanges confirming={confirming} isPending={isPending} onCancel={() => dialog.current?.close()} onConfirm={confirm} />}
      </dialog>
    </div>
  );
}

/** Texts longer than this start cut to a few lines, with "More" to read them whole. */
const longText = 160;

type RowProps = {
  rec: RecommendationView;
  canApply: boolean;
  maxTextLength: number | null;
  isSelected: boolean;
  isPending: boolean;
  onSelect: (isOn: boolean) => void;
  onDecide: (decision: Decision) => void;
  onRevert: () => void;
  onSaved: () => void;
};

function RecommendationRow({ rec, canApply, maxTextLength, isSelected, isPending, onSelect, onDecide, onRevert, onSaved }: RowProps) {
  const [isExpanded, setIsExpanded] = useState(false);
  const [isEditing, setIsEditing] = useState(false);
  const isEditable = maxTextLength !== null && canApply && rec.status !== "applied";
  const label = `${fieldLabel(rec.field)} of ${rec.itemLabel}`;
  const after = rec.editedValue ?? rec.afterValue;
  const isLong = Math.max(after.length, rec.beforeValue?.length ?? 0) > longText || rec.rationale.length > longText || rec.itemLabel.length > 60;
  const clamp = isExpanded ? "" : "line-clamp-2";
  return (
    <tr data-testid="recommendation-row" data-priority={rec.priority} data-status={rec.status} data-item={`${rec.itemType}:${rec.itemRef}`} data-field={rec.field} data-before={rec.beforeValue ?? ""} data-after={after} className="align-top">
      {canApply && (
        <td className="px-3 py-2 max-sm:absolute max-sm:left-1 max-sm:top-2.5">
          <input type="checkbox" aria-label={`Select ${label}`} checked={isSelected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
      )}
      <td className="px-3 py-2">
        <p className={`break-words font-medium ${isExpanded ? "" : "line-clamp-2"}`} title={rec.itemLabel}>{rec.itemLabel}</p>
        <p className="text-xs text-slate-600"><span className="capitalize">{rec.itemType}</span> · <span className="font-medium text-slate-800">{fieldLabel(rec.field)}</span></p>
      </td>
      <td className="px-3 py-2" data-label="Before"><div className={clamp}><BeforeValue field={rec.field} before={rec.beforeValue} after={after} /></div></td>
      <td className="px-3 py-2" data-label="After">
        {isEditing && maxTextLength !== null ? (
          <GeneratedTextEditor recommendationId={rec.id} label={label} text={after} maxLength={maxTextLength} onDone={(isSaved) => { setIsEditing(false); if (isSaved) onSaved(); }} />
        ) : <div className={clamp}><AfterValue field={rec.field} before={rec.beforeValue} after={after} /></div>}
        <div className="mt-1 flex items-start gap-2 text-xs text-slate-600">
          <p className={`min-w-0 flex-1 ${isExpanded ? "" : "truncate"}`}>{rec.rationale}{rec.editedValue !== null && " · edited by hand"}</p>
          {isLong && (
            <button type="button" aria-expanded={isExpanded} aria-label={`${isExpanded ? "Less" : "More"} of ${label}`} className="shrink-0 text-indigo-700 underline underline-offset-2 hover:text-indigo-900" onClick={() => setIsExpanded(!isExpanded)}>
              {isExpanded ? "Less" : "More"}
            </button>
          )}
        </div>
        {rec.status === "failed" && rec.applyError && <p className="mt-1 text-xs text-rose-700">{rec.applyError}</p>}
      </td>
      <td className="px-3 py-2" data-label="Status">
        <PriorityBadge priority={rec.priority} />
        <p className={`mt-1 ${statusStyles[rec.status]}`}>{statusLabels[rec.status]}</p>
      </td>
      {canApply && (
        <td className="px-3 py-2">
          <div className="flex flex-wrap gap-1.5 sm:flex-nowrap">
            {isEditable && !isEditing && (
              <Button variant="secondary" className="px-2 py-1" aria-label={`Edit ${label}`} onClick={() => setIsEditing(true)}>Edit</Button>
            )}
            {decidableStatuses.includes(rec.status) && rec.status !== "approved" && (
              <Button variant="secondary" className="px-2 py-1" disabled={isPending} aria-label={`Approve ${label}`} onClick={() => onDecide("approved")}>Approve</Button>
            )}
            {decidableStatuses.includes(rec.status) && rec.status !== "rejected" && (
              <Button variant="secondary" className="px-2 py-1" disabled={isPending} aria-label={`Reject ${label}`} onClick={() => onDecide("rejected")}>Reject</Button>
            )}
            {rec.status === "applied" && (
              <Button variant="secondary" className="px-2 py-1" disabled={isPending} aria-label={`Revert ${label}`} onClick={onRevert}>Revert</Button>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

/** The confirm for every match: how many change, how many stay, and the filter in words (a list of 100,000 would help nobody). */
function ConfirmAllMatching({ confirming, isPending, onCancel, onConfirm }: { confirming: Extract<Confirming, { kind: "decideAll" }>; isPending: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { decision, filter, plan, problem } = confirming;
  const isFiltered = filter.priority.length > 0 || filter.status.length > 0 || filter.q !== "";
  const n = changedBy(plan, decision);
  const leftAlone = leftAloneSentence("matching recommendation", decision, plan.decidable - n, plan.matching - plan.decidable);
  const action = `${verb[decision]} ${formatCount(n, "recommendation")}`;
  return (
    <div className="space-y-3 p-5">
      <h2 id="confirm-title" className="text-lg font-semibold">{action}?</h2>
      <p className="text-slate-700">
        {isFiltered
          ? <>{formatCount(plan.matching, "recommendation")} {plan.matching === 1 ? "matches" : "match"} <span className="font-medium">{plan.description}</span></>
          : <>This run has {formatCount(plan.matching, "recommendation")}</>}
        ; {n === 0 ? `none of them is left to ${verb[decision].toLowerCase()}.` : `${formatNumber(n)} of them will be ${decision}.`}
      </p>
      {leftAlone && <p className="text-sm text-slate-600">{leftAlone}</p>}
      <p className="text-sm text-slate-600">The audit log keeps one entry with the count and the filter.</p>
      {problem && <p role="alert" className="text-sm text-rose-700">{problem}</p>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
        <Button disabled={isPending || n === 0} onClick={onConfirm}>{isPending ? "Working…" : action}</Button>
      </div>
    </div>
  );
}

function ConfirmChanges({ confirming, isPending, onCancel, onConfirm }: { confirming: Extract<Confirming, { kind: "decide" | "apply" }>; isPending: boolean; onCancel: () => void; onConfirm: () => void }) {
  const items = confirming.kind === "apply"
    ? confirming.changes.map((c) => ({ id: c.id, field: c.field, label: c.itemLabel, before: c.beforeValue, after: c.value }))
    : confirming.rows.map((r) => ({ id: r.id, field: r.field, label: r.itemLabel, before: r.beforeValue, after: r.editedValue ?? r.afterValue }));
  const n = items.length;
  const leftAlone = confirming.kind === "decide" ? leftAloneSentence("selected recommendation", confirming.decision, confirming.already, confirming.settled) : null;
  const title = confirming.kind === "apply"
    ? `Apply ${formatCount(n, "change")} to the store?`
    : `${verb[confirming.decision]} ${formatCount(n, "recommendation")}?`;
  const action = confirming.kind === "apply" ? `Apply ${formatCount(n, "change")}` : `${verb[confirming.decision]} ${formatCount(n, "recommendation")}`;
  return (
    <div className="space-y-3 p-5">
      <h2 id="confirm-title" className="text-lg font-semibold">{title}</h2>
      <ul tabIndex={0} className="max-h-96 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm" aria-label={confirming.kind === "apply" ? "Changes to apply" : "Recommendations to decide"}>
        {items.map((item) => (
          <li key={item.id} className="grid gap-2 px-3 py-2 sm:grid-cols-[12rem_1fr_1fr]">
            <p className="font-medium">{item.label}<span className="block text-xs font-normal text-slate-600">{fieldLabel(item.field)}</span></p>
            <div><span className="text-xs uppercase tracking-wide text-slate-600">Before </span><BeforeValue field={item.field} before={item.before} after={item.after} /></div>
            <div><span className="text-xs uppercase tracking-wide text-slate-600">After </span><AfterValue field={item.field} before={item.before} after={item.after} /></div>
          </li>
        ))}
      </ul>
      {leftAlone && <p className="text-sm text-slate-600">{leftAlone}</p>}
      {confirming.kind === "apply" && confirming.skipped.length > 0 && (
        <p className="text-sm text-slate-600">{formatCount(confirming.skipped.length, "selected recommendation")} will be skipped: {confirming.skipped[0]!.reason}</p>
      )}
      {confirming.kind === "apply" && <p className="text-sm text-slate-700">Each change is written only if the store still holds the value the agent saw. You can revert applied changes later.</p>}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>Cancel</Button>
        <Button disabled={isPending || n === 0} onClick={onConfirm}>{isPending ? "Working…" : action}</Button>
      </div>
    </div>
  );
}

/** An apply's outcome as one toast: how many applied, and each that did not, with why. */
function describeOutcomes(outcomes: ChangeOutcome[]): { text: string; isError: boolean } {
  const applied = outcomes.filter((o) => o.outcome === "applied").length;
  const already = outcomes.filter((o) => o.outcome === "already_applied").length;
  const done = `${formatNumber(applied)} applied${already ? ` · ${formatNumber(already)} already applied` : ""}`;
  const failed = outcomes.filter((o) => o.outcome === "failed" || o.outcome === "skipped");
  if (!failed.length) return { text: `${done}.`, isError: false };
  const reasons = failed.slice(0, 3).map((o) => `${o.itemLabel} (${fieldLabel(o.field)}): ${o.reason}`).join("; ");
  return { text: `${done} · ${formatNumber(failed.length)} not applied — ${reasons}${failed.length > 3 ? "; …" : ""}`, isError: true };
}
