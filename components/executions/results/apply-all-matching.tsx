"use client";

import { useEffect, useRef, useState } from "react";
import { applyPartAction } from "@/app/(app)/executions/[id]/apply-actions";
import { Button, buttonClass } from "@/components/ui/button";
import { formatCount, formatNumber } from "@/components/ui/format";
import type { ChangeOutcome } from "@/lib/results/apply";
import type { ApplyAllPreview } from "@/lib/results/apply-in-parts";
import { fieldLabel } from "@/lib/results/field-labels";
import type { RecommendationFilter } from "@/lib/results/recommendation-filter";
import { BeforeValue, AfterValue } from "./value-diff";

type Props = {
  executionId: string;
  /** The filter as it was previewed: what applies, whatever the list shows meanwhile. */
  filter: RecommendationFilter;
  preview: ApplyAllPreview;
  onCancel: () => void;
  /** Called once the last part has answered (or the person stopped): the page refreshes. */
  onFinished: () => void;
};

type Tally = { applied: number; already: number; failed: ChangeOutcome[]; skipped: ChangeOutcome[]; remaining: number };
type Phase = "confirm" | "applying" | "done";

/** How many failures and skips the summary lists with their reasons; the rest are counted. */
const listedProblems = 5;

function tallied(tally: Tally, outcomes: ChangeOutcome[], remaining: number): Tally {
  return {
    applied: tally.applied + outcomes.filter((o) => o.outcome === "applied").length,
    already: tally.already + outcomes.filter((o) => o.outcome === "already_applied").length,
    failed: [...tally.failed, ...outcomes.filter((o) => o.outcome === "failed")],
    skipped: [...tally.skipped, ...outcomes.filter((o) => o.outcome === "skipped")],
    remaining,
  };
}

/**
 * The dialog's body for "Apply" on every recommendation a filter matches: the count and the
 * first changes to confirm, then the parts applied one after another with a progress bar and
 * Stop (which ends after the part under way), then what happened. The preview's token carries
 * the filter and the moment it was counted, so what applies is what was confirmed.
 */
export function ApplyAllMatching({ executionId, filter, preview, onCancel, onFinished }: Props) {
  const [phase, setPhase] = useState<Phase>("confirm");
  const [tally, setTally] = useState<Tally>({ applied: 0, already: 0, failed: [], skipped: [], remaining: preview.toApply });
  const [ending, setEnding] = useState<string | null>(null);
  const [isStopping, setIsStopping] = useState(false);
  const isStopRequested = useRef(false);
  const body = useRef<HTMLDivElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const summaryTitle = useRef<HTMLHeadingElement>(null);
  const confirmed = preview.toApply;
  const more = confirmed - preview.first.length;
  const isFiltered = filter.priority.length > 0 || filter.status.length > 0 || filter.q !== "";

  // While parts are applying, Escape does not close the dialog and leaving the page asks first.
  useEffect(() => {
    if (phase !== "applying") return;
    const dialog = body.current?.closest("dialog");
    const keepOpen = (event: Event) => event.preventDefault();
    dialog?.addEventListener("cancel", keepOpen);
    window.addEventListener("beforeunload", keepOpen);
    stopButton.current?.focus();
    return () => {
      dialog?.removeEventListener("cancel", keepOpen);
      window.removeEventListener("beforeunload", keepOpen);
    };
  }, [phase]);
  useEffect(() => {
    if (phase === "done") summaryTitle.current?.focus();
  }, [phase]);

  const applyAll = async () => {
    setPhase("applying");
    let total: Tally = tally;
    let after: string | null = preview.start;
    let endedWith: string | null = null;
    while (after) {
      // The connection dropped or the server could not answer: the part may or may not have
      // applied, and applying again takes up exactly what is left.
      const part: Awaited<ReturnType<typeof applyPartAction>> | null = await applyPartAction(executionId, filter, after).catch(() => null);
      if (!part) {
        endedWith = "Runlog could not be reached, so applying stopped. What was applied stays applied; apply again to take up the rest (nothing applies twice).";
        break;
      }
      if (!part.ok) {
        endedWith = part.message;
        break;
      }
      total = tallied(total, part.outcomes, part.remaining);
      setTally(total);
      if (part.stopped) endedWith = part.stopped;
      after = part.next;
      if (after && isStopRequested.current) {
        endedWith = `Stopped. ${formatCount(part.remaining, "change")} not applied; the changes applied stay applied.`;
        break;
      }
    }
    setEnding(endedWith);
    setPhase("done");
    onFinished();
  };
  const stop = () => {
    isStopRequested.current = true;
    setIsStopping(true);
  };

  const processed = confirmed - tally.remaining;
  const progressText = `Applied ${formatNumber(tally.applied + tally.already)} of ${formatNumber(confirmed)}${tally.failed.length ? ` · ${formatNumber(tally.failed.length)} failed` : ""}`;
  return (
    <div ref={body} className="space-y-3 p-5">
      {phase === "confirm" && (
        <>
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
            Each change is written only if the store still holds the value the agent saw; one decided or applied by someone after this preview is left as it is. They apply a few hundred at a time: keep this page open until it finishes; what is applied stays applied. You can revert applied changes later.
          </p>
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="secondary" onClick={onCancel}>Cancel</Button>
            <Button disabled={confirmed === 0} onClick={applyAll}>Apply {formatCount(confirmed, "change")}</Button>
          </div>
        </>
      )}

      {phase === "applying" && (
        <>
          <h2 id="confirm-title" className="text-lg font-semibold">Applying {formatCount(confirmed, "change")}…</h2>
          <progress className="h-3 w-full" max={Math.max(confirmed, 1)} value={processed} aria-label="Changes applied" aria-valuetext={progressText} />
          <p className="text-sm text-slate-800" aria-live="polite" data-testid="apply-progress">{progressText}</p>
          <p className="text-sm text-slate-600">Keep this page open until it finishes; what is applied stays applied. Stop ends after the part under way.</p>
          <div className="flex flex-wrap justify-end gap-2">
            {/* Stays focusable once pressed (aria-disabled), so the focus is not lost from the dialog. */}
            <button ref={stopButton} type="button" className={buttonClass("secondary", "aria-disabled:opacity-60")} aria-disabled={isStopping} onClick={stop}>
              {isStopping ? "Stopping after this part…" : "Stop"}
            </button>
          </div>
        </>
      )}

      {phase === "done" && (
        <>
          <h2 id="confirm-title" ref={summaryTitle} tabIndex={-1} className="text-lg font-semibold outline-none">
            {ending ? "Applying stopped" : "Applied"}
          </h2>
          {ending && <p role="alert" className="text-sm text-rose-700">{ending}</p>}
          <ul className="space-y-1 text-sm text-slate-800" aria-label="What happened" data-testid="apply-summary">
            <li>{formatNumber(tally.applied)} applied</li>
            {tally.already > 0 && <li>{formatNumber(tally.already)} already applied</li>}
            {tally.failed.length > 0 && <li>{formatNumber(tally.failed.length)} failed</li>}
            {tally.skipped.length > 0 && <li>{formatNumber(tally.skipped.length)} skipped</li>}
          </ul>
          <ProblemList title="Failed" outcomes={tally.failed} />
          <ProblemList title="Skipped" outcomes={tally.skipped} />
          <div className="flex justify-end">
            <Button onClick={onCancel}>Close</Button>
          </div>
        </>
      )}
    </div>
  );
}

/** The first few failures or skips with their reasons, and how many more. */
function ProblemList({ title, outcomes }: { title: string; outcomes: ChangeOutcome[] }) {
  if (!outcomes.length) return null;
  return (
    <div className="text-sm">
      <h3 className="font-medium text-slate-800">{title}</h3>
      <ul className="mt-1 space-y-1 text-slate-700">
        {outcomes.slice(0, listedProblems).map((o) => (
          <li key={o.id} className="break-words">{o.itemLabel} ({fieldLabel(o.field)}): {o.reason}</li>
        ))}
      </ul>
      {outcomes.length > listedProblems && <p className="mt-1 text-slate-600">and {formatNumber(outcomes.length - listedProblems)} more</p>}
    </div>
  );
}
