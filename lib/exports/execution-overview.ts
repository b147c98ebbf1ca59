import { agentName } from "@/lib/agents/catalog";
import { progressOf } from "@/lib/executions/progress";
import { fullDisclosure, nameFor, type Disclosure } from "@/lib/executions/disclosure";
import type { ListedRun } from "@/lib/executions/list";
import type { ExecutionRow } from "@/lib/executions/queries";
import type { ExportedOverview } from "./execution-schema";

/**
 * An execution as JSON, in the two shapes Runlog publishes: the overview at the head of its
 * JSON download (`overviewOf`, schema in ./execution-schema.ts) and a row of the JSON API's
 * history list (`listedExecutionJson`, `GET /api/executions`). Both take their figures from
 * `runFigures`, so a run reads the same in each.
 */

/** How long a run took, or null while it has not both started and finished. */
export function runDurationMs(run: { startedAt: Date | null; finishedAt: Date | null }): number | null {
  return run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null;
}

function runFigures(e: ListedRun) {
  return {
    createdAt: e.createdAt.toISOString(),
    startedAt: e.startedAt?.toISOString() ?? null,
    finishedAt: e.finishedAt?.toISOString() ?? null,
    durationMs: runDurationMs(e),
    items: { total: e.itemsTotal, processed: e.itemsProcessed, failed: e.itemsFailed },
    credits: { reserved: e.creditsReserved, charged: e.creditsCharged, refunded: e.creditsRefunded },
    // A live run says what it is doing ("Running: 57 of 95 items done"), as the pages do.
    preview: progressOf(e).summary || null,
  };
}

/** The overview as this viewer may see it: through a share link, without what the link hides. */
export function overviewOf(e: ExecutionRow, workspaceName: string, disclosure: Disclosure = fullDisclosure): ExportedOverview {
  const { credits, ...figures } = runFigures(e);
  return {
    id: e.id,
    agent: { id: e.agentId, name: agentName(e.agentId), version: e.agentVersion },
    workspace: { id: e.workspaceId, name: workspaceName },
    status: e.status,
    triggeredBy: { user: nameFor(disclosure, e.triggeredByName), workflow: e.workflowName },
    rerunOf: e.rerunOf,
    ...figures,
    ...(disclosure.showsCredits ? { credits } : {}),
    cancelRequestedAt: e.cancelRequestedAt?.toISOString() ?? null,
    error: e.errorCode ? { code: e.errorCode, message: e.errorMessage, hint: e.errorHint, logSeq: e.errorLogSeq } : null,
  };
}

/** A run as `GET /api/executions` lists it. */
export function listedExecutionJson(e: ListedRun) {
  return {
    id: e.id,
    agentId: e.agentId,
    agentName: agentName(e.agentId),
    agentVersion: e.agentVersion,
    status: e.status,
    triggeredBy: e.workflowName ? { workflow: e.workflowName } : { user: e.triggeredByName },
    ...runFigures(e),
    error: e.errorCode ? { code: e.errorCode, message: e.errorMessage, hint: e.errorHint } : null,
    rerunOf: e.rerunOf,
  };
}
