import Link from "next/link";
import { CopyButton } from "@/components/ui/copy-button";
import { durationBetween, formatCredits, formatDuration, formatNumber } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { fullDisclosure, nameFor, type Disclosure } from "@/lib/executions/disclosure";
import type { ExecutionRow } from "@/lib/executions/queries";
import { SettingsTable } from "./settings-table";

/**
 * When, by whom and at what cost a run ran, with its id for support. `isInApp` links the
 * run it re-ran; a share-link visitor sees that id without a link they could not open, and
 * only the credits and names the link shows (`disclosure`).
 */
export function ExecutionOverview({ execution, isInApp, supportEmail = null, disclosure = fullDisclosure }: { execution: ExecutionRow; isInApp: boolean; supportEmail?: string | null; disclosure?: Disclosure }) {
  const facts: [string, React.ReactNode][] = [
    ["Triggered by", execution.workflowName ? `Workflow “${execution.workflowName}”` : nameFor(disclosure, execution.triggeredByName) ?? "—"],
    ["Re-run of", !execution.rerunOf ? "—" : isInApp ? <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={`/executions/${execution.rerunOf}`}>{execution.rerunOf}</Link> : execution.rerunOf],
    ["Queued", <LocalTime key="q" iso={execution.createdAt.toISOString()} />],
    ["Started", execution.startedAt ? <LocalTime key="s" iso={execution.startedAt.toISOString()} /> : "—"],
    ...(execution.cancelRequestedAt ? [["Cancel", <CancelFacts key="c" execution={execution} />] as [string, React.ReactNode]] : []),
    [execution.status === "canceled" ? "Stopped" : "Finished", execution.finishedAt ? <LocalTime key="f" iso={execution.finishedAt.toISOString()} /> : "—"],
    ["Duration", formatDuration(durationBetween(execution.startedAt, execution.finishedAt))],
    ["Items", `${formatNumber(execution.itemsProcessed)} processed · ${formatNumber(execution.itemsFailed)} failed · ${formatNumber(execution.itemsTotal)} in scope`],
    ...(disclosure.showsCredits ? [["Credits", `${formatCredits(execution.creditsReserved)} reserved · ${formatCredits(execution.creditsCharged)} charged · ${formatCredits(execution.creditsRefunded)} refunded`] as [string, React.ReactNode]] : []),
    ["Agent version", execution.agentVersion],
  ];
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <h2 className="border-b border-slate-100 px-4 py-2 font-medium">Overview</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 p-4 sm:grid-cols-[10rem_1fr]">
        {facts.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
        <dt className="text-slate-600">Execution ID</dt>
        <dd>
          <code className="select-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{execution.id}</code>
          <CopyButton value={execution.id} label="Copy execution ID" />
          <span className="ml-2 text-xs text-slate-600">
            Quote this ID to {supportEmail ? <a href={`mailto:${supportEmail}`} className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">{supportEmail}</a> : "support"}.
          </span>
        </dd>
      </dl>
      <h2 className="border-y border-slate-100 px-4 py-2 font-medium">Input settings</h2>
      <SettingsTable settings={execution.settings} />
    </section>
  );
}

/** When cancel was asked and when it took effect (a run that had already done every item finishes instead). */
function CancelFacts({ execution }: { execution: ExecutionRow }) {
  const askedAt = execution.cancelRequestedAt!;
  const tookMs = execution.status === "canceled" && execution.finishedAt ? execution.finishedAt.getTime() - askedAt.getTime() : null;
  return (
    <>
      Requested <LocalTime iso={askedAt.toISOString()} />
      {tookMs !== null
        ? ` · took effect ${formatDuration(Math.max(0, tookMs))} later`
        : execution.status === "queued" || execution.status === "running" ? " · stopping at the next few items" : " · every item was already done, so the run finished"}
    </>
  );
}
