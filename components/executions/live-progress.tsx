"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { cancelRun } from "@/app/(app)/executions/[id]/actions";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import type { RunProgress } from "@/lib/executions/progress";
import { reachable } from "@/lib/http/reachable-action";

/** Progress of a queued or running execution, refreshed every second, with Cancel. */
export function LiveProgress({ executionId, initial, canCancel }: { executionId: string; initial: RunProgress; canCancel: boolean }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  useEffect(() => {
    let isActive = true;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/executions/${executionId}/progress`, { cache: "no-store" }).catch(() => null);
      if (!response?.ok || !isActive) return;
      const next = (await response.json()) as RunProgress;
      setProgress(next);
      if (next.status !== "queued" && next.status !== "running") {
        clearInterval(timer);
        router.refresh();
      }
    }, 1000);
    return () => {
      isActive = false;
      clearInterval(timer);
    };
  }, [executionId, router]);

  const percent = progress.itemsTotal ? Math.min(100, Math.round((progress.itemsDone / progress.itemsTotal) * 100)) : 0;
  const isCanceling = progress.cancelRequestedAt !== null;
  return (
    <section className="rounded-lg border border-sky-200 bg-sky-50 p-4" aria-label="Progress">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div>
          <p className="font-medium text-sky-900" data-testid="progress-text" aria-live="polite">
            {progress.summary}
            {progress.itemsFailed > 0 && <span className="text-amber-800"> · {progress.itemsFailed.toLocaleString("en-US")} failed</span>}
          </p>
          {progress.cancelRequestedAt && (
            <p className="text-sky-900">Cancel requested at <LocalTime iso={progress.cancelRequestedAt} />; only the items processed by then are charged.</p>
          )}
        </div>
        {canCancel && !isCanceling && (
          <Button variant="secondary" disabled={isPending}
            onClick={() => startTransition(async () => {
              const result = await reachable(cancelRun)(executionId);
              if (!result.ok) setMessage(result.message ?? "Could not cancel.");
              else setProgress((p) => ({ ...p, cancelRequestedAt: p.cancelRequestedAt ?? new Date().toISOString() }));
            })}>
            Cancel run
          </Button>
        )}
      </div>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-sky-100" role="progressbar" aria-label="Items done" aria-valuemin={0} aria-valuemax={progress.itemsTotal} aria-valuenow={progress.itemsDone} aria-valuetext={`${progress.itemsDone.toLocaleString("en-US")} of ${progress.itemsTotal.toLocaleString("en-US")} items`}>
        <div className="h-full rounded-full bg-sky-500 transition-all duration-500" style={{ width: `${percent}%` }} />
      </div>
      {message && <p role="alert" className="mt-2 text-rose-700">{message}</p>}
    </section>
  );
}
