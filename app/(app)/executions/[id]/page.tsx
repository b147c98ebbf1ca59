import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { DeleteExecutionButton } from "@/components/executions/delete-execution-button";
import { DownloadMenu } from "@/components/executions/download-menu";
import { ReportFilesList } from "@/components/executions/report-files-list";
import { ExecutionOverview } from "@/components/executions/execution-overview";
import { LiveProgress } from "@/components/executions/live-progress";
import { ExecutionResults } from "@/components/executions/results/execution-results";
import { SettingsAndLog } from "@/components/executions/settings-and-log";
import { ShareDialog } from "@/components/executions/share/share-dialog";
import { Troubleshooting } from "@/components/executions/troubleshooting";
import { buttonClass } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { agentName } from "@/lib/agents/catalog";
import { findPreviousRun } from "@/lib/compare/compare";
import { compareHref } from "@/lib/compare/compare-request";
import { requireSessionContext } from "@/lib/auth/session";
import { isLive, mayApply, mayManage } from "@/lib/executions/permissions";
import { logLineAnchor, logLineQuery, searchParamsOf, type PageParams } from "@/lib/executions/log-request";
import { loadExecutionContent } from "@/lib/executions/content";
import { getVisibleExecution } from "@/lib/executions/queries";
import { listReportFiles } from "@/lib/exports/report-files";
import { clientAddress } from "@/lib/http/client-address";
import { troubleshootExecution } from "@/lib/executions/troubleshooting";
import { recordMemberShareOpen } from "@/lib/shares/access";

export const metadata: Metadata = { title: "Execution" };

export default async function ExecutionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<PageParams> }) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireSessionContext();
  const execution = await getVisibleExecution(ctx, id);
  if (!execution) notFound();
  const hasTrouble = execution.status === "failed" || execution.status === "partial";
  const isManaged = mayManage(ctx, execution);
  const [content, diagnosis, canApply, previousRunId] = await Promise.all([
    loadExecutionContent(ctx, execution, query),
    hasTrouble ? troubleshootExecution(ctx, execution.id) : null,
    mayApply(ctx, execution),
    findPreviousRun(ctx, execution),
    isManaged ? null : recordMemberShareOpen(ctx, execution.id, clientAddress(await headers())),
  ]);
  const downloads = await listReportFiles(ctx, execution.id);
  const basePath = `/executions/${execution.id}`;
  const search = searchParamsOf(query);

  const isRunning = isLive(execution);
  const rerunHref = `/agents/${execution.agentId}?from=${execution.id}`;

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
          {!isLive(execution) && <DownloadMenu executionId={execution.id} agentId={execution.agentId} />}
          {previousRunId && !isLive(execution) ? (
            <Link href={compareHref([previousRunId, execution.id])} className={buttonClass("secondary")} title="Side by side with the previous finished run of this agent; add more runs there">Compare with previous run(s)…</Link>
          ) : (
            <span aria-disabled="true" className={buttonClass("secondary", "cursor-not-allowed text-slate-400")} title={isLive(execution) ? "Compare once the run has finished" : "No earlier finished run of this agent that you can see"}>Compare with previous run(s)…</span>
          )}
          {isManaged && <ShareDialog executionId={execution.id} agentName={agentName(execution.agentId)} isInitiallyOpen={query.share === "1"} />}
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

      <ExecutionOverview execution={execution} isInApp />

      <ExecutionResults
        executionId={execution.id}
        status={execution.status}
        blocks={content.blocks}
        recommendations={content.recommendations}
        canApply={canApply}
      />

      <ReportFilesList files={downloads} />

      <SettingsAndLog execution={execution} log={content.log} basePath={basePath} query={search} />
    </div>
  );
}
