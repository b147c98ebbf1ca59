import Link from "next/link";
import { formatNumber } from "@/components/ui/format";
import type { StatusCount } from "@/lib/executions/list";
import { listQueryString, type ListFilter } from "@/lib/executions/list-filter";

const labels = { queued: "Queued", running: "Running", completed: "Completed", failed: "Failed", canceled: "Canceled", partial: "Partial" } as const;

/** How many runs of each status match the filter; each count narrows the list to its status. */
export function StatusCounts({ counts, filter }: { counts: StatusCount[]; filter: ListFilter }) {
  return (
    <ul aria-label="Runs by status" className="flex flex-wrap gap-2 text-sm">
      {counts.map(({ status, count, isCapped }) => (
        <li key={status}>
          <Link
            href={`/executions${listQueryString({ ...filter, statuses: [status] })}`}
            className="inline-flex items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2.5 py-0.5 text-slate-600 hover:border-slate-300"
            title={isCapped ? `More than ${formatNumber(count)}: counting stops there to keep the page fast` : undefined}
          >
            {labels[status]} <span className="font-medium tabular-nums text-slate-900">{formatNumber(count)}{isCapped ? "+" : ""}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
