"use client";

import { useEffect, useRef, useState } from "react";
import { startApplyJobAction } from "@/app/(app)/executions/[id]/apply-actions";
import { Button } from "@/components/ui/button";
import { reachable } from "@/lib/http/reachable-action";
import { formatCount, formatNumber } from "@/components/ui/format";
import type { ApplyAllPreview } from "@/lib/results/apply-in-parts";
import type { ApplyJobView } from "@/lib/results/apply-job";
import { fieldLabel } from "@/lib/results/field-labels";
import type { RecommendationFilter } from "@/lib/results/recommendation-filter";
import { ApplyJobBar, ApplyJobSummary, StopApplyButton, useFollowedApplyJob } from "./apply-job-progress";
import { BeforeValue, AfterValue } from "./value-diff";

type Props = {
  executionId: string;
  /** The filter as it was previewed: what applies, whatever the list shows meanwhile. */
  filter: RecommendationFilter;
  preview: ApplyAllPreview;
  /** Closes the dialog; an apply under way goes on (the run page shows its progress). */
  onClose: () => void;
  /** Called once the apply has started (the selection is done with). */
  onStarted: () => void;
  /** Called once it has ended, in the dialog: the page refreshes. */
  onEnded: () => void;
};

/**
 * The dialog's body for "Apply" on every recommendation a filter matches: the count and the
 * first changes to confirm, then the background job's progress with Stop (which ends it after
 * the part under way), then what happened. The preview's token carries the filter and the
 * moment it was counted, so what applies is what was confirmed. Closing the dialog or leaving
 * the page does not stop it.
 */
export function ApplyAllMatching({ executionId, filter, preview, onClose, onStarted, onEnded }: Props) {
  const [job, setJob] = useState<ApplyJobView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [isStarting, setIsStarting] = useState(false);
  const confirmed = preview.toApply;
  const more = confirmed - preview.first.length;
  const isFiltered = filter.priority.length > 0 || filter.status.length > 0 || filter.q !== "";

  const applyAll = async () => {
    setIsStarting(true);
    // Confirmed again after a lost answer, the same plan answers the job it started, if it did.
    const started = await reachable(startApplyJobAction)(executionId, preview.start);
    setIsStarting(false);
    if (!started.ok) return setProblem(started.message);
    setJob(started.job);
    onStarted();
  };

  if (job) return <FollowedApply initial={job} onClose={onClose} onEnded={onEnded} />;
  return (
    <div className="space-y-3 p-5">
      <h2 id="confirm-title" className="text-lg font-semibold">Apply {formatCount(confirmed, "change")} to the store?</h2>
      <p className="text-slate-700">
        {isFiltered
          ? <>Every recommendation matching <span className="font-medium">{preview.description}</span> that is not applied or rejected.</>
          : "Every recommendation of this run that is not applied or rejected."}
      </p>
      {preview.first.length > 0 && (
        <ul tabIndex={0} className="max-h-80 divide-y divide-slate-100 overflow-y-auto rounded border border-slate-200 text-sm" aria-label="Changes to apply">
          {preview.first.map((change) => (
            <li key={change.id} className="grid gap-2 px-3 py-2 sm:grid-cols-[12rem_1fr_1fr]">
              <p className="break-words font-medium">{change.itemLabel}<span className="block text-xs font-normal text-slate-600">{fieldLabel(change.field)}</span></p>
              <div className="break-words"><span className="text-xs uppercase tracking-wide text-slate-600">Before </span><BeforeValue field={change.field} before={change.beforeValue} after={change.value} /></div>
              <div className="break-words"><span className="text-xs uppercase tracking-wide text-slate-600">After </span><AfterValue field={change.field} before={change.beforeValue} after={change.value} /></div>
            </li>
          ))}
        </ul>
      )}
      {more > 0 && <p className="text-sm font-medium text-slate-700">and {formatNumber(more)} more</p>}
      {preview.alreadyApplied + preview.rejected > 0 && (
        <p className="text-sm text-slate-600">
          Skipped: {[preview.alreadyApplied ? `${formatNumber(preview.alreadyApplied)} already applied` : "", preview.rejected ? `${formatNumber(preview.rejected)} rejected` : ""].filter(Boolean).join(", ")}.
        </p>
      )}
      <p className="text-sm text-slate-700">
        Each change is written only if the store still holds the value the agent saw; one decided or applied by someone after this preview is left as it is. They apply a few hundred at a time in the background: you can close this or leave the page, and you are notified when it ends. What is applied stays applied, and can be reverted later.
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>Cancel</Button>
        <Button disabled={confirmed === 0 || isStarting} onClick={applyAll}>{isStarting ? "Starting…" : `Apply ${formatCount(confirmed, "change")}`}</Button>
      </div>
      {problem && <p role="alert" className="text-sm text-rose-700">{problem}</p>}
    </div>
  );
}

/** The job under way in the dialog: its progress and Stop, then what it did. */
function FollowedApply({ initial, onClose, onEnded }: { initial: ApplyJobView; onClose: () => void; onEnded: () => void }) {
  const { job, problem, isStopping, stop } = useFollowedApplyJob(initial);
  const stopButton = useRef<HTMLButtonElement>(null);
  const summaryTitle = useRef<HTMLHeadingElement>(null);
  const hasEnded = job.status !== "running";
  const whenEnded = useRef(onEnded);
  useEffect(() => {
    (hasEnded ? summaryTitle.current : stopButton.current)?.focus();
    if (hasEnded) whenEnded.current();
  }, [hasEnded]);
  return (
    <div className="space-y-3 p-5">
      {hasEnded ? (
        <>
          <h2 id="confirm-title" ref={summaryTitle} tabIndex={-1} className="text-lg font-semibold outline-none">{job.status === "finished" ? "Applied" : "Applying stopped"}</h2>
          <ApplyJobSummary job={job} />
          <div className="flex justify-end">
            <Button onClick={onClose}>Close</Button>
          </div>
        </>
      ) : (
        <>
          <h2 id="confirm-title" className="text-lg font-semibold">Applying {formatCount(job.expected, "change")}…</h2>
          <ApplyJobBar job={job} />
          {problem && <p role="status" className="text-sm text-amber-800">{problem}</p>}
          <p className="text-sm text-slate-600">This goes on if you close this or leave the page; the run page shows its progress, and you are notified when it ends. Stop ends it after the part under way.</p>
          <div className="flex flex-wrap justify-end gap-2">
            <StopApplyButton isStopping={isStopping} onStop={stop} buttonRef={stopButton} />
            <Button variant="secondary" onClick={onClose}>Close</Button>
          </div>
        </>
      )}
    </div>
  );
}
