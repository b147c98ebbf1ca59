import type { ExecutionStatus } from "@/db/schema";

/** The frame every result block shares, and the calm states shown instead of content: unreadable, empty, none yet. */
export function ResultCard({ title, caption, children }: { title: string; caption?: string; children: React.ReactNode }) {
  return (
    <section className="space-y-3 px-4 py-4" aria-label={title}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h3 className="font-medium">{title}</h3>
        {caption && <p className="text-sm text-slate-500">{caption}</p>}
      </div>
      {children}
    </section>
  );
}

/** A block whose stored payload does not match its kind's shape: said plainly, with the id support needs. */
export function UnreadableResult({ executionId }: { executionId: string }) {
  return (
    <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900">
      <p>This result could not be read.</p>
      <p className="mt-1 text-sm text-amber-800">
        The rest of the execution is unaffected. If you need it, quote execution ID{" "}
        <code className="select-all rounded bg-amber-100 px-1 font-mono text-xs">{executionId}</code> to support.
      </p>
    </div>
  );
}

export function EmptyResult({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-slate-500">{children}</p>;
}

const noResultsText: Partial<Record<ExecutionStatus, string>> = {
  queued: "Results appear here when the run finishes.",
  running: "Results appear here when the run finishes.",
  failed: "This run stopped before it produced results.",
  canceled: "This run was canceled before it produced results.",
};

/** The Results section of a run that has none, saying why. */
export function NoResults({ status }: { status: ExecutionStatus }) {
  return <p className="px-4 py-6 text-center text-slate-500">{noResultsText[status] ?? "This run produced no results."}</p>;
}
