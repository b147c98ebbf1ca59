"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { bulkJobProgressAction, planBulkActionsAction, planBulkShareAction, startBulkActionAction } from "@/app/(app)/executions/bulk-actions";
import { Button, buttonClass } from "@/components/ui/button";
import { formatNumber } from "@/components/ui/format";
import { useToast } from "@/components/ui/toaster";
import type { BulkPlan } from "@/lib/executions/bulk-by-filter";
import { answerOrNull, reachable } from "@/lib/http/reachable-action";

type Candidate = { userId: string; name: string; email: string };
type Plans = { delete: BulkPlan; cancel: BulkPlan; share: BulkPlan; candidates: Candidate[] };
type Progress = { action: BulkPlan["action"]; status: string; done: number; skipped: number; expected: number };

const verbs = { delete: ["Delete", "Deleting"], cancel: ["Cancel", "Canceling"], share: ["Share", "Sharing"] } as const;
const finished = {
  delete: "Every matching run that could be deleted is deleted.",
  cancel: "Every matching run that could be canceled is canceled or stopping.",
  share: "Every matching run you may share is shared; each person is notified once.",
} as const;
const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

/**
 * "Select all N matching": counts every run the filters match (across every page), then deletes,
 * cancels or shares them all after a confirm that gives the exact count, as a background job
 * whose progress shows here; or downloads them all as CSV. Sharing first asks with whom and how.
 */
export function SelectAllMatching({ query }: { query: string }) {
  const router = useRouter();
  const toast = useToast();
  const [plans, setPlans] = useState<Plans | null>(null);
  const [confirming, setConfirming] = useState<BulkPlan | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [dialogProblem, setDialogProblem] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const dialog = useRef<HTMLDialogElement>(null);
  const allSelectedNote = useRef<HTMLSpanElement>(null);
  /** Set by "Select all matching": the button goes away, so the sentence that replaces it takes the focus, and reads it out. */
  const isNoteFocusDue = useRef(false);

  useEffect(() => {
    if (!plans || !isNoteFocusDue.current) return;
    isNoteFocusDue.current = false;
    allSelectedNote.current?.focus();
  }, [plans]);

  /** Counts what the filters match now; answers the sentence of a refusal, or null. */
  const countMatching = async (): Promise<string | null> => {
    const answer = await reachable(planBulkActionsAction)(query);
    if (!answer.ok) {
      setPlans(null);
      return answer.message;
    }
    setPlans({ delete: answer.delete, cancel: answer.cancel, share: answer.share, candidates: answer.candidates });
    return null;
  };
  const selectAll = () => startTransition(async () => {
    isNoteFocusDue.current = true;
    setProblem(await countMatching());
  });
  const confirm = (plan: BulkPlan) => {
    setConfirming(plan);
    setDialogProblem(null);
    dialog.current?.showModal();
  };
  const review = (choice: { userIds: string[]; permission: "view" | "apply" }) => startTransition(async () => {
    const answer = await reachable(planBulkShareAction)(query, choice);
    if (!answer.ok) return setDialogProblem(answer.message);
    setDialogProblem(null);
    setConfirming(answer.plan);
  });
  const start = (plan: BulkPlan) => startTransition(async () => {
    const answer = await reachable(startBulkActionAction)({ action: plan.action, query: plan.query, expected: plan.acting, share: plan.share });
    dialog.current?.close();
    if (!answer.ok) {
      // The runs may have changed since the count (deleted, started, finished elsewhere): the
      // buttons show the new count, to confirm again.
      return setProblem((await countMatching()) ?? answer.message);
    }
    setProgress({ action: plan.action, status: "running", done: 0, skipped: 0, expected: plan.acting });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await answerOrNull(bulkJobProgressAction, answer.job.id);
      if (!now) {
        setProblem("Runlog cannot be reached right now; the job goes on without this page, and its progress shows again once Runlog answers.");
        continue;
      }
      if (!now.ok) return setProblem(now.message);
      setProblem(null);
      setProgress({ action: plan.action, ...now });
      if (now.status !== "running") break;
    }
    setPlans(null);
    toast(finished[plan.action]);
    router.refresh();
  });

  if (progress && progress.status === "running") {
    return (
      <span role="status" className="text-indigo-900">
        {verbs[progress.action][1]} {formatNumber(progress.done)} of {formatNumber(progress.expected)} runs…
        <progress className="ml-2 align-middle" max={progress.expected} value={progress.done} aria-label="Progress" />
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
  const isChoosing = confirming?.action === "share" && !confirming.share;
  return (
    <>
      <span ref={allSelectedNote} tabIndex={-1} className="font-medium text-indigo-900">All {formatNumber(plans.delete.matching)} matching selected</span>
      <Button variant="danger" disabled={isPending || plans.delete.acting === 0} onClick={() => confirm(plans.delete)}>Delete {formatNumber(plans.delete.acting)}…</Button>
      {plans.cancel.acting > 0 && <Button variant="secondary" disabled={isPending} onClick={() => confirm(plans.cancel)}>Cancel {formatNumber(plans.cancel.acting)} running…</Button>}
      {plans.share.acting > 0 && plans.candidates.length > 0 && <Button variant="secondary" disabled={isPending} onClick={() => confirm(plans.share)}>Share {formatNumber(plans.share.acting)}…</Button>}
      <a className={buttonClass("secondary")} href={`/api/executions/export${plans.delete.query}`} download>Export all as CSV</a>
      {problem && <span role="alert" className="text-rose-700">{problem}</span>}
      <dialog ref={dialog} aria-labelledby="bulk-title" className="m-auto w-[calc(100vw-2rem)] max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => setConfirming(null)}>
        {confirming && isChoosing && (
          <ShareChoiceForm plan={confirming} candidates={plans.candidates} isPending={isPending} problem={dialogProblem} onReview={review} onClose={() => dialog.current?.close()} />
        )}
        {confirming && !isChoosing && (
          <div className="space-y-3 p-5">
            <h2 id="bulk-title" className="text-lg font-semibold">{verbs[confirming.action][0]} {formatNumber(confirming.acting)} runs?</h2>
            <p className="text-slate-700" data-testid="bulk-sentence">{confirming.sentence}</p>
            {confirming.action === "delete" && <p className="text-slate-700">This cannot be undone. The audit log keeps one entry with the count and the filter.</p>}
            {confirming.action === "share" && <p className="text-slate-700">Each person is notified once. The audit log keeps one entry with the count and the filter.</p>}
            <div className="flex flex-wrap justify-end gap-2">
              {confirming.action === "share"
                ? <Button variant="secondary" onClick={() => setConfirming(plans.share)}>Back</Button>
                : <Button variant="secondary" onClick={() => dialog.current?.close()}>Keep them</Button>}
              <Button variant={confirming.action === "delete" ? "danger" : "primary"} disabled={isPending} onClick={() => start(confirming)}>
                {verbs[confirming.action][0]} {formatNumber(confirming.acting)} runs
              </Button>
            </div>
          </div>
        )}
      </dialog>
    </>
  );
}

/** The first step of a bulk share: whom with (other members of the workspace) and how. */
function ShareChoiceForm({ plan, candidates, isPending, problem, onReview, onClose }: {
  plan: BulkPlan; candidates: Candidate[]; isPending: boolean; problem: string | null;
  onReview: (choice: { userIds: string[]; permission: "view" | "apply" }) => void; onClose: () => void;
}) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [permission, setPermission] = useState<"view" | "apply">("view");
  return (
    <form className="space-y-3 p-5" onSubmit={(e) => { e.preventDefault(); onReview({ userIds: chosen, permission }); }}>
      <h2 id="bulk-title" className="text-lg font-semibold">Share {formatNumber(plan.acting)} runs with…</h2>
      <p className="text-slate-700">{plan.sentence}</p>
      <fieldset>
        <legend className="mb-1 text-sm text-slate-600">People</legend>
        <ul className="max-h-48 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200">
          {candidates.map((person) => (
            <li key={person.userId}>
              <label className="flex cursor-pointer flex-wrap items-center gap-x-3 px-3 py-1.5 hover:bg-slate-50">
                <input
                  type="checkbox"
                  checked={chosen.includes(person.userId)}
                  onChange={(e) => setChosen((previous) => (e.target.checked ? [...previous, person.userId] : previous.filter((id) => id !== person.userId)))}
                />
                <span className="font-medium">{person.name}</span>
                <span className="min-w-0 break-all text-slate-600">{person.email}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-slate-600">Permission</span>
        <select value={permission} onChange={(e) => setPermission(e.target.value as "view" | "apply")} className={field}>
          <option value="view">View only</option>
          <option value="apply">Can apply recommendations</option>
        </select>
      </label>
      {problem && <p role="alert" className="text-rose-700">{problem}</p>}
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onClose}>Keep them</Button>
        <Button type="submit" disabled={isPending || chosen.length === 0}>{isPending ? "Counting…" : "Continue"}</Button>
      </div>
    </form>
  );
}
