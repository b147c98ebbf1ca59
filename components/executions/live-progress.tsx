"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { cancelRun } from "@/app/(app)/executions/[id]/actions";
import { Button } from "@/components/ui/button";

type Progress = { status: string; itemsTotal: number; itemsProcessed: number; itemsFailed: number; isCanceling: boolean };

/** Progress of a queued or running execution, refreshed every second, with Cancel. */
export function LiveProgress({ executionId, initial, canCancel }: { executionId: string; initial: Progress; canCancel: boolean }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  useEffect(() => {
    let isActive = true;
    const timer = setInterval(async () => {
      const response = await fetch(`/api/executions/${executionId}/progress`, { cache: "no-store" }).catch(() => null);
      if (!response?.ok || !isActive) return;
      const next = (await response.json()) as Progress;
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

  const done = progress.itemsProcessed + progress.itemsFailed;
  const percent = progress.itemsTotal ? Math.min(100, Math.round((done / progress.itemsTotal) * 100)) : 0;
  return (
    <section className="rounded-lg border border-sky-200 bg-sky-50 p-4" aria-label="Progress">
      <div className="flex items-center justify-between gap-4">
        <p className="font-medium text-sky-900" data-testid="progress-text">
          {progress.status === "queued" ? "Waiting to start…" : progress.isCanceling ? "Canceling after the current batch…" : `${done.toLocaleString("en-US")} of ${progress.itemsTotal.toLocaleString("en-US")} items processed`}
          {progress.itemsFailed > 0 && <span className="text-amber-700"> · {progress.itemsFailed} failed</span>}
        </p>
        {canCancel && !progress.isCanceling && (
          <Button variant="secondary" disabled={isPending}
            onClick={() => startTransition(async () => {
              const result = await cancelRun(executionId);
              if (!result.ok) setMessage(result.message ?? "Could not cancel.");
              else setProgress((p) => ({ ...p, isCanceling: true }));
            })}>
            Cancel run
          </Button>
        )}
      </div>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-sky-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="h-full rounded-full bg-sky-500 transition-all duration-500" style={{ width: `${percent}%` }} />
      </div>
      {message && <p role="alert" className="mt-2 text-rose-700">{message}</p>}
    </section>
  );
}
