import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeleteExecutionButton } from "@/components/executions/delete-execution-button";
import { LiveProgress } from "@/components/executions/live-progress";
import { ActionItemsView } from "@/components/executions/results/action-items-view";
import { GeneratedContentView } from "@/components/executions/results/generated-content-view";
import { ReportView } from "@/components/executions/results/report-view";
import { NoResults, ResultCard, UnreadableResult } from "@/components/executions/results/result-card";
import { RecommendationsView } from "@/components/executions/results/recommendations-view";
import { ScoresView } from "@/components/executions/results/scores-view";
import { ProcessingLog } from "@/components/executions/log/processing-log";
import { SettingsTable } from "@/components/executions/settings-table";
import { Troubleshooting } from "@/components/executions/troubleshooting";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { durationBetween, formatCredits, formatDuration } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { isLive, mayApply, mayManage } from "@/lib/executions/permissions";
import { loadProcessingLog } from "@/lib/executions/log";
import { logLineAnchor, logLineQuery, searchParamsOf, type PageParams } from "@/lib/executions/log-request";
import { getVisibleExecution } from "@/lib/executions/queries";
import { troubleshootExecution } from "@/lib/executions/troubleshooting";
import { getExecutionResults } from "@/lib/results/queries";
import { parseRecommendationParams } from "@/lib/results/recommendation-filter";
import { listRecommendations } from "@/lib/results/recommendations";

export const metadata: Metadata = { title: "Execution" };

export default async function ExecutionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<PageParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireSessionContext();
  const execution = await getVisibleExecution(ctx, id);
  if (!execution) notFound();
  const hasTrouble = execution.status === "failed" || execution.status === "partial";
  const recommendationParams = parseRecommendationParams(query);
  const [blocks, diagnosis, log, recommendationPage, canApply] = await Promise.all([
    getExecutionResults(ctx, execution.id),
    hasTrouble ? troubleshootExecution(ctx, execution.id) : null,
    loadProcessingLog(ctx, execution.id, query),
    listRecommendations(execution, recommendationParams.filter, recommendationParams.page),
    mayApply(ctx, execution),
  ]);
  const results = blocks ?? [];
  const basePath = `/executions/${execution.id}`;
  const search = searchParamsOf(query);

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

      {diagnosis && (
        <Troubleshooting
          diagnosis={diagnosis}
          errorMessage={execution.errorMessage}
          errorHint={execution.errorHint}
          executionId={execution.id}
          itemsFailed={execution.itemsFailed}
          stoppedAtHref={diagnosis.stoppedAt ? `${basePath}${logLineQuery(search, diagnosis.stoppedAt.seq)}#${logLineAnchor(diagnosis.stoppedAt.seq)}` : null}
          smallerScopeHref={`${rerunHref}&scope=smaller`}
          retryFailedHref={execution.status === "partial" && execution.itemsFailed > 0 ? `${rerunHref}&scope=failed` : null}
          canManageConnection={ctx.role === "admin"}
        />
      )}

      {!diagnosis && execution.errorMessage && (
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
            <CopyButton value={execution.id} label="Copy execution ID" />
            <span className="ml-2 text-xs text-slate-400">Quote this ID to support.</span>
          </dd>
        </dl>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white" aria-labelledby="results-heading">
        <h2 id="results-heading" className="border-b border-slate-100 px-4 py-2 font-medium">Results</h2>
        {results.length === 0 && <NoResults status={execution.status} />}
        <div className="divide-y divide-slate-100">
          {results.map((block) => (
            <ResultCard key={block.id} title={block.title} caption={block.isReadable && block.kind === "generated_content" ? block.summary.summary : undefined}>
              {!block.isReadable && <UnreadableResult executionId={execution.id} />}
              {block.isReadable && block.kind === "scores" && <ScoresView metrics={block.metrics} previousRun={block.previousRun} />}
              {block.isReadable && block.kind === "report" && <ReportView report={block.report} />}
              {block.isReadable && block.kind === "generated_content" && <GeneratedContentView texts={block.texts} total={block.total} canEdit={block.canEdit} />}
              {block.isReadable && block.kind === "action_items" && <ActionItemsView items={block.items} />}
              {recommendationPage && block.isReadable && (block.kind === "recommendations" || block.kind === "generated_content") && (
                <>
                  {recommendationParams.problem && <p role="alert" className="text-amber-800">The recommendation filter could not be read — {recommendationParams.problem} Showing all instead.</p>}
                  <RecommendationsView executionId={execution.id} {...recommendationPage} filter={recommendationParams.filter} canApply={canApply} />
                </>
              )}
            </ResultCard>
          ))}
        </div>
      </section>

      <section className="rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2 font-medium">Input settings</h2>
        <SettingsTable settings={execution.settings} />
      </section>

      <ProcessingLog
        {...log}
        items={{ processed: execution.itemsProcessed, failed: execution.itemsFailed, total: execution.itemsTotal }}
        stoppedAtSeq={execution.errorLogSeq}
        basePath={basePath}
        query={search}
      />
    </div>
  );
}
