import type { ExecutionStatus } from "@/db/schema";

const styles: Record<ExecutionStatus, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-300",
  running: "bg-sky-50 text-sky-700 ring-sky-300",
  completed: "bg-emerald-50 text-emerald-700 ring-emerald-300",
  failed: "bg-rose-50 text-rose-700 ring-rose-300",
  canceled: "bg-slate-50 text-slate-500 ring-slate-300",
  partial: "bg-amber-50 text-amber-800 ring-amber-300",
};

const labels: Record<ExecutionStatus, string> = {
  queued: "Queued",
  running: "Running",
  completed: "Completed",
  failed: "Failed",
  canceled: "Canceled",
  partial: "Partial",
};

export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return (
    <span className={`status-badge ${styles[status]}`}>
      {status === "running" && <span className="size-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden />}
      {labels[status]}
    </span>
  );
}
