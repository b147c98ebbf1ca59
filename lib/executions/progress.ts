import type { Execution } from "@/db/schema";

/** What a live run's page and the history show while it runs: how far it got, and what it is doing. */
export type RunProgress = {
  status: Execution["status"];
  itemsTotal: number;
  itemsProcessed: number;
  itemsFailed: number;
  /** Items the run is done with, counting those of the batch in hand that are not written yet. */
  itemsDone: number;
  /** When cancel was asked (ISO), null if it was not. */
  cancelRequestedAt: string | null;
  /** One line for the run's subtitle. */
  summary: string;
};

type ProgressSource = Pick<Execution, "status" | "itemsTotal" | "itemsProcessed" | "itemsFailed" | "batchItemsDone" | "cancelRequestedAt" | "preview">;

export function progressOf(run: ProgressSource): RunProgress {
  const committed = run.itemsProcessed + run.itemsFailed;
  const itemsDone = Math.min(run.itemsTotal, committed + (run.status === "running" ? run.batchItemsDone : 0));
  return {
    status: run.status,
    itemsTotal: run.itemsTotal,
    itemsProcessed: run.itemsProcessed,
    itemsFailed: run.itemsFailed,
    itemsDone,
    cancelRequestedAt: run.cancelRequestedAt?.toISOString() ?? null,
    summary: summaryOf(run, itemsDone),
  };
}

/** The run's one-line summary: its live state while it runs, else what the agent concluded. */
function summaryOf(run: ProgressSource, itemsDone = run.itemsProcessed + run.itemsFailed): string {
  const of = `${itemsDone.toLocaleString("en-US")} of ${run.itemsTotal.toLocaleString("en-US")} item${run.itemsTotal === 1 ? "" : "s"}`;
  if (run.status === "queued") return run.cancelRequestedAt ? "Canceling before it starts" : "Queued: starts when a runner is free";
  if (run.status === "running") return run.cancelRequestedAt ? `Canceling: stops at the next few items (${of} done)` : `Running: ${of} done`;
  return run.preview ?? "";
}
