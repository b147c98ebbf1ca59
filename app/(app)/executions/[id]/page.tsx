import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { DeleteExecutionButton } from "@/components/executions/delete-execution-button";
import { DownloadMenu } from "@/components/executions/download-menu";
import { ExecutionHeader, listLabelOf } from "@/components/executions/execution-header";
import { ExecutionOverview } from "@/components/executions/execution-overview";
import { KeepRun } from "@/components/executions/keep-run";
import { formatUtcDay } from "@/components/ui/format";
import { LiveProgress } from "@/components/executions/live-progress";
import { LogSection } from "@/components/executions/log-section";
import { ReportFilesList } from "@/components/executions/report-files-list";
import { ExecutionResults } from "@/components/executions/results/execution-results";
import { ApplyJobsUnderWay } from "@/components/executions/results/apply-job-progress";
import { RecommendationList } from "@/components/executions/results/recommendation-list";
import { SharedWithYou } from "@/components/executions/share/shared-with-you";
import { ShareDialog } from "@/components/executions/share/share-dialog";
import { Troubleshooting } from "@/components/executions/troubleshooting";
import { buttonClass } from "@/components/ui/button";
import { agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { findPreviousRun } from "@/lib/executions/previous-run";
import { compareHref } from "@/lib/compare/compare-request";
import { loadExecutionContent } from "@/lib/executions/content";
import { logLineAnchor, logLineQuery } from "@/lib/executions/log-request";
import { searchParamsOf, type SearchParams } from "@/lib/url-state/params";
import { isLive, mayApply, mayManage } from "@/lib/executions/permissions";
import { progressOf } from "@/lib/executions/progress";
import { getVisibleExecution } from "@/lib/executions/queries";
import { troubleshootExecution } from "@/lib/executions/troubleshooting";
import { runningApplyJobs } from "@/lib/results/apply-job";
import { maxGeneratedTextLength } from "@/lib/results/generated";
import { listReportFiles } from "@/lib/exports/report-files";
import { getRunContents } from "@/lib/exports/run-contents";
import { clientAddress } from "@/lib/rate-limits/client-address";
import { getShareWithMe, recordMemberShareOpen } from "@/lib/shares/access";
import { supportEmail } from "@/lib/support/contact";
import { archiveNoticeOf } from "@/lib/retention/keep";
import { getRetentionPeriods } from "@/lib/retention/settings";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Execution" };

export default pageReadingAddress(async function ExecutionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireSessionContext();
  const execution = await getVisibleExecution(ctx, id);
  if (!execution) notFound();
  const hasTrouble = execution.status === "failed" || execution.status === "partial";
  const isManaged = mayManage(ctx, execution);
  const content = await loadExecutionContent(ctx, execution, query);
  const { tab } = content;
  const [diagnosis, canApply, previousRun, sharedWithMe, downloads, contents, periods, applyJobs] = await Promise.all([
    hasTrouble && tab === "overview" ? troubleshootExecution(ctx, execution.id) : null,
    mayApply(ctx, execution),
    isLive(execution) ? null : findPreviousRun(ctx, execution),
    isManaged ? null : getShareWithMe(ctx, execution.id),
    tab === "downloads" ? listReportFiles(ctx, execution.id) : [],
    isLive(execution) ? null : getRunContents(ctx, execution.id),
    getRetentionPeriods(ctx),
    content.recommendationCount ? runningApplyJobs(ctx, execution.id) : [],
    isManaged ? null : recordMemberShareOpen(ctx, execution.id, clientAddress(await headers())),
  ]);
  const archivesOn = archiveNoticeOf(execution, periods);
  const basePath = `/executions/${execution.id}`;
  const search = searchParamsOf(query);
  const name = agentName(execution.agentId);
  const isRunning = isLive(execution);
  const rerunHref = `/agents/${execution.agentId}?from=${execution.id}`;
  const listLabel = listLabelOf(execution.agentId);

  return (
    <div className="space-y-5">
      <ExecutionHeader
        execution={execution}
        agentName={name}
        basePath={basePath}
        tab={tab}
        listLabel={listLabel}
        recommendationCount={content.recommendationCount}
        backLink={<Link href="/executions" className="text-slate-600 underline-offset-2 hover:text-slate-900 hover:underline">← Past executions</Link>}
      >
        <Link href={rerunHref} className={buttonClass("secondary")}>Run again</Link>
        {contents && <DownloadMenu executionId={execution.id} agentId={execution.agentId} contents={contents} />}
        {previousRun ? (
          <Link href={compareHref([previousRun.id, execution.id])} className={buttonClass("secondary")} title="Side by side with the previous finished run of this agent; add more runs there">Compare with previous run(s)…</Link>
        ) : (
          <span aria-disabled="true" className={buttonClass("secondary", "cursor-not-allowed text-slate-600")} title={isRunning ? "Compare once the run has finished" : "No earlier finished run of this agent that you can see"}>Compare with previous run(s)…</span>
        )}
        {isManaged && !isRunning && <DeleteExecutionButton executionId={execution.id} agentName={name} />}
        {isManaged && <ShareDialog executionId={execution.id} agentName={name} isInitiallyOpen={query.share === "1"} />}
      </ExecutionHeader>

      {sharedWithMe && <SharedWithYou share={sharedWithMe} />}

      {!isLive(execution) && (
        <KeepRun executionId={execution.id} canKeep={isManaged} archivesOn={archivesOn && formatUtcDay(archivesOn)} keptSince={execution.keptAt && formatUtcDay(execution.keptAt)} />
      )}

      {isRunning && (
        <LiveProgress
          executionId={execution.id}
          canCancel={isManaged}
          initial={progressOf(execution)}
        />
      )}

      <ApplyJobsUnderWay jobs={applyJobs} />

      {tab === "overview" && (
        <>
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
              supportEmail={supportEmail()}
            />
          )}
          {!diagnosis && execution.errorMessage && (
            <section className="rounded-lg border border-rose-200 bg-rose-50 p-4" aria-label="Error">
              <p className="font-medium text-rose-800">{execution.errorMessage}</p>
              {execution.errorHint && <p className="mt-1 text-rose-700">{execution.errorHint}</p>}
            </section>
          )}
          <ExecutionOverview execution={execution} isInApp supportEmail={supportEmail()} />
        </>
      )}

      {tab === "results" && content.blocks && (
        <ExecutionResults executionId={execution.id} status={execution.status} blocks={content.blocks} recommendations={{ href: `${basePath}?tab=recommendations`, count: content.recommendationCount }} />
      )}

      {tab === "recommendations" && content.recommendations && (
        <section aria-labelledby="list-heading" className="space-y-3">
          <h2 id="list-heading" className="sr-only">{listLabel ?? "Recommendations"}</h2>
          {content.recommendations.problem && <p role="alert" className="text-amber-800">The list’s filter could not be read — {content.recommendations.problem} Showing all instead.</p>}
          <RecommendationList executionId={execution.id} page={content.recommendations.page} filter={content.recommendations.filter} canApply={canApply} maxTextLength={listLabel === "Generated texts" ? maxGeneratedTextLength : null} />
        </section>
      )}

      {tab === "log" && content.log && <LogSection execution={execution} log={content.log} basePath={basePath} query={search} />}

      {tab === "downloads" && <ReportFilesList files={downloads} />}
    </div>
  );
});
