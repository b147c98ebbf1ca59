import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { formatCount, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import type { ConnectionHealth } from "@/db/schema";
import type { Troubleshooting as Diagnosis } from "@/lib/executions/troubleshooting";

type Props = {
  diagnosis: Diagnosis;
  errorMessage: string | null;
  errorHint: string | null;
  executionId: string;
  itemsFailed: number;
  /** The detail page with the log at the line where the run stopped. */
  stoppedAtHref: string | null;
  smallerScopeHref: string;
  retryFailedHref: string | null;
  /** Admins can open the connection settings; members are told to ask one. */
  canManageConnection: boolean;
  /** RUNLOG_SUPPORT_EMAIL, when it is set. */
  supportEmail: string | null;
};

const healthLabels: Record<ConnectionHealth, string> = { active: "Active", lost: "Lost", rate_limited: "Rate limited", slow: "Slow" };
const healthStyles: Record<ConnectionHealth, string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-300",
  lost: "bg-rose-50 text-rose-700 ring-rose-300",
  rate_limited: "bg-amber-50 text-amber-800 ring-amber-300",
  slow: "bg-amber-50 text-amber-800 ring-amber-300",
};

/** What went wrong on a failed or partial run, why it likely did, and what to do next (F15). */
export function Troubleshooting({ diagnosis, errorMessage, errorHint, executionId, itemsFailed, stoppedAtHref, smallerScopeHref, retryFailedHref, canManageConnection, supportEmail }: Props) {
  const { status, cause, check, stoppedAt, connection, failedItems } = diagnosis;
  const isFailed = status === "failed";
  return (
    <section aria-labelledby="troubleshooting-heading" className={`rounded-lg border ${isFailed ? "border-rose-200" : "border-amber-200"} bg-white`}>
      <h2 id="troubleshooting-heading" className={`border-b px-4 py-2 font-medium ${isFailed ? "border-rose-100 bg-rose-50 text-rose-900" : "border-amber-100 bg-amber-50 text-amber-900"}`}>
        Troubleshooting
      </h2>
      <div className="space-y-4 p-4">
        {isFailed ? (
          <div role="region" aria-label="Error">
            <p className="font-medium text-rose-800">{errorMessage ?? "The run failed."}</p>
            {errorHint && <p className="mt-1 text-rose-700">{errorHint}</p>}
          </div>
        ) : (
          <p className="font-medium text-amber-900">
            Finished, but {formatCount(itemsFailed, "item")} could not be processed.
          </p>
        )}

        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-600">Likely cause</dt>
          <dd>{cause}</dd>
          <dt className="text-slate-600">Check</dt>
          <dd>{check}</dd>
          {stoppedAt && stoppedAtHref && (
            <>
              <dt className="text-slate-600">Where it stopped</dt>
              <dd>
                <Link href={stoppedAtHref} className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Log line {formatNumber(stoppedAt.seq)}</Link>
                <span className="text-slate-600"> · {stoppedAt.step} · </span>
                <LocalTime iso={stoppedAt.at.toISOString()} />
                <p className="mt-1 font-mono text-xs text-slate-700">{stoppedAt.message}</p>
              </dd>
            </>
          )}
          <dt className="text-slate-600">Store connection now</dt>
          <dd>
            {connection ? (
              <>
                <span className="font-medium">{connection.name}</span>{" "}
                <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${healthStyles[connection.health]}`}>{healthLabels[connection.health]}</span>
                <span className="text-slate-600"> since </span>
                <LocalTime iso={connection.healthChangedAt.toISOString()} />
                <p className="mt-1">{connection.advice}</p>
                <p className="mt-1 text-sm">
                  {canManageConnection ? (
                    <Link href="/settings/connection" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Open the store connection settings</Link>
                  ) : (
                    <span className="text-slate-600">A workspace admin can check the connection under Settings.</span>
                  )}
                </p>
              </>
            ) : (
              <span>This run&apos;s store connection has been removed; connect the store again before running.</span>
            )}
          </dd>
          <dt className="text-slate-600">For support</dt>
          <dd>
            Quote this run&apos;s ID: <code className="select-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{executionId}</code>
            {supportEmail ? (
              <> to <a href={`mailto:${supportEmail}?subject=${encodeURIComponent(`Run ${executionId}`)}`} className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">{supportEmail}</a></>
            ) : (
              <> to an admin of your workspace</>
            )}
            {" · "}<Link href="/help" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Help</Link>
          </dd>
        </dl>

        {failedItems.length > 0 && (
          <div>
            <h3 className="font-medium">Items that failed</h3>
            <ul className="mt-1 space-y-1">
              {failedItems.map((item) => (
                <li key={item.id}>
                  <span className="font-medium">{item.itemLabel}</span>: <span className="text-amber-800">{item.reason ?? "No reason was recorded."}</span>
                </li>
              ))}
            </ul>
            {itemsFailed > failedItems.length && (
              <Link href="#items-with-issues" className="mt-1 inline-block text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
                All {formatNumber(itemsFailed)} items with issues, searchable ↓
              </Link>
            )}
          </div>
        )}

        <div className="flex flex-wrap gap-2">
          <Link href={smallerScopeHref} className={buttonClass("secondary")}>Run again with a smaller scope</Link>
          {retryFailedHref && <Link href={retryFailedHref} className={buttonClass("secondary")}>Retry failed items</Link>}
        </div>
      </div>
    </section>
  );
}
