import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteExecutionButton } from "@/components/executions/delete-execution-button";
import { LiveProgress } from "@/components/executions/live-progress";
import { SettingsTable } from "@/components/executions/settings-table";
import { buttonClass } from "@/components/ui/button";
import { durationBetween, formatCredits, formatDuration } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { isLive, mayManage } from "@/lib/executions/permissions";
import { getVisibleExecution } from "@/lib/executions/queries";

export const metadata: Metadata = { title: "Execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await requireSessionContext();
  const execution = await getVisibleExecution(ctx, id);
  if (!execution) notFound();

  const isRunning = isLive(execution);
  const isManaged = mayManage(ctx, execution);
  const rerunHref = `/agents/${execution.agentId}?from=${execution.id}`;
  const facts: [string, React.ReactNode][] = [
    ["Triggered by", execution.workflowName ? `Workflow “${execution.workflowName}”` : execution.triggeredByName ?? "—"],
    ["Re-run of", execution.rerunOf ? <Link className="text-indigo-700 hover:underline" href={`/executions/${execution.rerunOf}`}>{execution.rerunOf}</Link> : "—"],
    ["Queued", <LocalTime key="q" iso={execution.createdAt.toISOString()} />],
    ["Started", execution.startedAt ? <LocalTime key="s" iso={execution.startedAt.toISOString()} /> : "—"],
    ["Finished", execution.finishedAt ? <LocalTime key="f" iso={execution.finishedAt.toISOString()} /> : "—"],
    ["Duration", formatDuration(durationBetween(execution.startedAt, execution.finishedAt))],
    ["Items", `${execution.itemsProcessed} processed · ${execution.itemsFailed} failed · ${execution.itemsTotal} in scope`],
    ["Credits", `${formatCredits(execution.creditsReserved)} reserved · ${formatCredits(execution.creditsCharged)} charged · ${formatCredits(execution.creditsRefunded)} refunded`],
    ["Agent version", execution.agentVersion],
  ];

  return (
    <div className="max-w-4xl space-y-6">
      <div>
        <Link href="/executions" className="text-slate-500 hover:text-slate-800">← Past executions</Link>
        <div className="mt-2 flex items-center gap-3">
          <h1 className="text-xl font-semibold tracking-tight">{agentName(execution.agentId)}</h1>
          <StatusBadge status={execution.status} />
        </div>
        {execution.preview && <p className="mt-1 text-slate-600">{execution.preview}</p>}
        <div className="mt-3 flex flex-wrap gap-2" aria-label="Actions">
          <Link href={rerunHref} className={buttonClass("secondary")}>Run again</Link>
          {(execution.status === "failed" || execution.status === "partial") && (
            <Link href={`${rerunHref}&scope=smaller`} className={buttonClass("secondary")}>Run again with a smaller scope</Link>
          )}
          {execution.status === "partial" && execution.itemsFailed > 0 && (
            <Link href={`${rerunHref}&scope=failed`} className={buttonClass("secondary")}>Retry failed items</Link>
          )}
          {isManaged && !isRunning && <DeleteExecutionButton executionId={execution.id} agentName={agentName(execution.agentId)} />}
        </div>
      </div>

      {isRunning && (
        <LiveProgress
          executionId={execution.id}
          canCancel={isManaged}
          initial={{ status: execution.status, itemsTotal: execution.itemsTotal, itemsProcessed: execution.itemsProcessed, itemsFailed: execution.itemsFailed, isCanceling: execution.cancelRequestedAt !== null }}
        />
      )}

      {execution.errorMessage && (
        <section className="rounded-lg border border-rose-200 bg-rose-50 p-4" aria-label="Error">
          <p className="font-medium text-rose-800">{execution.errorMessage}</p>
          {execution.errorHint && <p className="mt-1 text-rose-700">{execution.errorHint}</p>}
        </section>
      )}

      <section className="rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2 font-medium">Overview</h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 p-4 sm:grid-cols-[10rem_1fr]">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="tabular-nums">{value}</dd>
            </div>
          ))}
          <dt className="text-slate-500">Execution ID</dt>
          <dd>
            <code className="select-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{execution.id}</code>
            <span className="ml-2 text-xs text-slate-400">Quote this ID to support.</span>
          </dd>
        </dl>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2 font-medium">Input settings</h2>
        <SettingsTable settings={execution.settings} />
      </section>
    </div>
  );
}
