"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { bulkJobProgressAction, planBulkActionsAction, startBulkActionAction } from "@/app/(app)/executions/bulk-actions";
import { Button, buttonClass } from "@/components/ui/button";
import { formatNumber } from "@/components/ui/format";
import { useToast } from "@/components/ui/toaster";
import type { BulkPlan } from "@/lib/executions/bulk-by-filter";

type Plans = { delete: BulkPlan; cancel: BulkPlan };
type Progress = { action: "delete" | "cancel"; status: string; done: number; skipped: number; expected: number };

/**
 * "Select all N matching": counts every run the filters match (across every page), then deletes
 * or cancels them all after a confirm that gives the exact count, as a background job whose
 * progress shows here; or downloads them all as CSV.
 */
export function SelectAllMatching({ query }: { query: string }) {
  const router = useRouter();
  const toast = useToast();
  const [plans, setPlans] = useState<Plans | null>(null);
  const [confirming, setConfirming] = useState<BulkPlan | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);

  const selectAll = () => startTransition(async () => {
    const answer = await planBulkActionsAction(query);
    if (!answer.ok) return setProblem(answer.message);
    setProblem(null);
    setPlans({ delete: answer.delete, cancel: answer.cancel });
  });
  const confirm = (plan: BulkPlan) => {
    setConfirming(plan);
    dialog.current?.showModal();
  };
  const start = (plan: BulkPlan) => startTransition(async () => {
    const answer = await startBulkActionAction({ action: plan.action, query: plan.query, expected: plan.acting });
    dialog.current?.close();
    if (!answer.ok) return setProblem(answer.message);
    setProgress({ action: plan.action, status: "running", done: 0, skipped: 0, expected: plan.acting });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await bulkJobProgressAction(answer.job.id);
      if (!now.ok) return setProblem(now.message);
      setProgress({ action: plan.action, ...now });
      if (now.status !== "running") break;
    }
    setPlans(null);
    toast(plan.action === "delete" ? "Every matching run that could be deleted is deleted." : "Every matching run that could be canceled is canceled or stopping.");
    router.refresh();
  });

  if (progress && progress.status === "running") {
    return (
      <span role="status" className="text-indigo-900">
        {progress.action === "delete" ? "Deleting" : "Canceling"} {formatNumber(progress.done)} of {formatNumber(progress.expected)} runs…
        <progress className="ml-2 align-middle" max={progress.expected} value={progress.done} />
      </span>
    );
  }
  if (!plans) {
    return (
      <>
        <Button variant="ghost" className="text-indigo-800 underline" disabled={isPending} onClick={selectAll}>{isPending ? "Counting…" : "Select all matching"}</Button>
        {problem && <span role="alert" className="text-rose-700">{problem}</span>}
      </>
    );
  }
  return (
    <>
      <span className="font-medium text-indigo-900">All {formatNumber(plans.delete.matching)} matching selected</span>
      <Button variant="danger" disabled={isPending || plans.delete.acting === 0} onClick={() => confirm(plans.delete)}>Delete {formatNumber(plans.delete.acting)}…</Button>
      {plans.cancel.acting > 0 && <Button variant="secondary" disabled={isPending} onClick={() => confirm(plans.cancel)}>Cancel {formatNumber(plans.cancel.acting)} running…</Button>}
      <a className={buttonClass("secondary")} href={`/api/executions/export${plans.delete.query}`} download>Export all as CSV</a>
      {problem && <span role="alert" className="text-rose-700">{problem}</span>}
      <dialog ref={dialog} aria-labelledby="bulk-title" className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => setConfirming(null)}>
        {confirming && (
          <div className="space-y-3 p-5">
            <h2 id="bulk-title" className="text-lg font-semibold">{confirming.action === "delete" ? `Delete ${formatNumber(confirming.acting)} runs?` : `Cancel ${formatNumber(confirming.acting)} runs?`}</h2>
            <p className="text-slate-700" data-testid="bulk-sentence">{confirming.sentence}</p>
            {confirming.action === "delete" && <p className="text-slate-700">This cannot be undone. The audit log keeps one entry with the count and the filter.</p>}
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => dialog.current?.close()}>Keep them</Button>
              <Button variant={confirming.action === "delete" ? "danger" : "primary"} disabled={isPending} onClick={() => start(confirming)}>
                {confirming.action === "delete" ? `Delete ${formatNumber(confirming.acting)} runs` : `Cancel ${formatNumber(confirming.acting)} runs`}
              </Button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}
