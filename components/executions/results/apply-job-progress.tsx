"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { applyJobProgressAction, stopApplyJobAction } from "@/app/(app)/executions/[id]/apply-actions";
import { Button, buttonClass } from "@/components/ui/button";
import { answerOrNull, reachable } from "@/lib/http/reachable-action";
import { formatCount, formatNumber } from "@/components/ui/format";
import { fieldLabel } from "@/lib/results/field-labels";
import type { ApplyJobView } from "@/lib/results/apply-job";

/** How often a followed job is read while it runs. */
const pollMs = 1000;
/** How many failures and skips the summary lists with their reasons; the rest are counted. */
const listedProblems = 5;
const unreachable = "Runlog cannot be reached right now; the apply goes on without this page, and this shows its progress again once Runlog answers.";

/**
 * Follows an apply job the person started (lib/results/apply-job.ts) while it runs: read every
 * second, Stop asks it to end after the part under way. A read that fails (the connection
 * dropped) says so and keeps trying; the job itself does not depend on this page.
 */
export function useFollowedApplyJob(initial: ApplyJobView) {
  const [job, setJob] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [isStopping, setIsStopping] = useState(initial.isStopRequested);
  const [reads, setReads] = useState(0);
  useEffect(() => {
    if (job.status !== "running") return;
    const timer = setTimeout(async () => {
      const read = await answerOrNull(applyJobProgressAction, job.id);
      if (read?.ok) {
        setJob(read.job);
        setProblem(null);
      } else {
        setProblem(read ? read.message : unreachable);
      }
      setReads((n) => n + 1);
    }, pollMs);
    return () => clearTimeout(timer);
  }, [job.id, job.status, reads]);
  const stop = async () => {
    setIsStopping(true);
    const asked = await reachable(stopApplyJobAction)(job.id);
    if (asked.ok) return setJob(asked.job);
    setIsStopping(false);
    setProblem(asked.message);
  };
  return { job, problem, isStopping, stop };
}

/** "Applied 450 of 1,200 · 3 failed": what a job has done so far. */
function progressText(job: ApplyJobView): string {
  const done = job.applied + job.alreadyApplied;
  return `Applied ${formatNumber(done)} of ${formatNumber(job.expected)}${job.failed ? ` · ${formatNumber(job.failed)} failed` : ""}${job.skipped ? ` · ${formatNumber(job.skipped)} left alone` : ""}`;
}

/** A running job's bar and count. */
export function ApplyJobBar({ job }: { job: ApplyJobView }) {
  const text = progressText(job);
  return (
    <>
      <progress className="h-3 w-full" max={Math.max(job.expected, 1)} value={job.expected - job.remaining} aria-label="Changes applied" aria-valuetext={text} />
      <p className="text-sm text-slate-800" aria-live="polite" data-testid="apply-progress">{text}</p>
    </>
  );
}

/** What an ended job did, with the first failures and skips and their reasons. */
export function ApplyJobSummary({ job }: { job: ApplyJobView }) {
  const failed = job.problems.filter((p) => p.outcome === "failed");
  const skipped = job.problems.filter((p) => p.outcome === "skipped");
  return (
    <>
      {job.ending && <p role="alert" className="text-sm text-rose-700">{job.ending}</p>}
      <ul className="space-y-1 text-sm text-slate-800" aria-label="What happened" data-testid="apply-summary">
        <li>{formatNumber(job.applied)} applied</li>
        {job.alreadyApplied > 0 && <li>{formatNumber(job.alreadyApplied)} already applied</li>}
        {job.failed > 0 && <li>{formatNumber(job.failed)} failed</li>}
        {job.skipped > 0 && <li>{formatNumber(job.skipped)} skipped</li>}
      </ul>
      <ProblemList title="Failed" problems={failed} total={job.failed} />
      <ProblemList title="Skipped" problems={skipped} total={job.skipped - job.changedElsewhere} />
      {job.changedElsewhere > 0 && (
        <p className="text-sm text-slate-700">{formatCount(job.changedElsewhere, "change")} of the plan {job.changedElsewhere === 1 ? "was" : "were"} decided, applied or reverted by someone else after your preview, and left as {job.changedElsewhere === 1 ? "it was" : "they were"}.</p>
      )}
    </>
  );
}

function ProblemList({ title, problems, total }: { title: string; problems: ApplyJobView["problems"]; total: number }) {
  if (!total) return null;
  const listed = problems.slice(0, listedProblems);
  return (
    <div className="text-sm">
      <h3 className="font-medium text-slate-800">{title}</h3>
      <ul className="mt-1 space-y-1 text-slate-700">
        {listed.map((p) => <li key={p.id} className="break-words">{p.itemLabel} ({fieldLabel(p.field)}): {p.reason}</li>)}
      </ul>
      {total > listed.length && <p className="mt-1 text-slate-600">and {formatNumber(total - listed.length)} more</p>}
    </div>
  );
}

/** The Stop button of a running job: stays focusable once pressed (aria-disabled), so focus is not lost. */
export function StopApplyButton({ isStopping, onStop, buttonRef }: { isStopping: boolean; onStop: () => void; buttonRef?: React.Ref<HTMLButtonElement> }) {
  return (
    <button ref={buttonRef} type="button" className={buttonClass("secondary", "aria-disabled:opacity-60")} aria-disabled={isStopping} onClick={() => !isStopping && onStop()}>
      {isStopping ? "Stopping after this part…" : "Stop"}
    </button>
  );
}

/**
 * The person's applies under way on this run, above its recommendations: each with its
 * progress and Stop, then what it did once it ends (the page is refreshed then, and no longer
 * lists it, so an ended one stays here until dismissed).
 */
export function ApplyJobsUnderWay({ jobs }: { jobs: ApplyJobView[] }) {
  const [shown, setShown] = useState(jobs);
  const added = jobs.filter((job) => !shown.some((seen) => seen.id === job.id));
  if (added.length) setShown([...added, ...shown]);
  return shown.map((job) => <ApplyJobUnderWay key={job.id} initial={job} />);
}

function ApplyJobUnderWay({ initial }: { initial: ApplyJobView }) {
  const router = useRouter();
  const { job, problem, isStopping, stop } = useFollowedApplyJob(initial);
  const [isDismissed, setIsDismissed] = useState(false);
  const hasEnded = job.status !== "running";
  useEffect(() => {
    if (hasEnded) router.refresh();
  }, [hasEnded, router]);
  if (isDismissed) return null;
  return (
    <section aria-label="Applying in the background" className="space-y-2 rounded-lg border border-indigo-200 bg-indigo-50/60 p-3">
      <h3 className="font-medium text-indigo-950">
        {hasEnded ? (job.status === "finished" ? "Applied" : "Applying stopped") : `Applying ${formatCount(job.expected, "change")}…`}
        <span className="font-normal text-slate-700"> · {job.description}</span>
      </h3>
      {hasEnded ? <ApplyJobSummary job={job} /> : <ApplyJobBar job={job} />}
      {problem && !hasEnded && <p role="status" className="text-sm text-amber-800">{problem}</p>}
      <div className="flex flex-wrap justify-end gap-2">
        {hasEnded ? <Button variant="secondary" onClick={() => setIsDismissed(true)}>Dismiss</Button> : <StopApplyButton isStopping={isStopping} onStop={stop} />}
      </div>
    </section>
  );
}
