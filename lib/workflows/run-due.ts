import { and, eq, isNotNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { workflows } from "@/db/schema";
import { isAgentId } from "@/lib/agents/catalog";
import { estimateForWorkspace, queueExecution } from "@/lib/executions/start";
import { nextRunAfter } from "./schedule";

export type QueuedRun = { executionId: string; workspaceId: string; workflowId: string };
export type SkippedRun = { workflowId: string; reason: string };

/**
 * Queues a run for every enabled workflow that is due. Each workflow is claimed by moving
 * its next run time forward with a conditional update, so two schedulers (two instances, or
 * a retried cron) never start the same slot twice. A run that cannot start (no credits, lost
 * connection) is skipped with its reason; the workflow stays on schedule.
 */
export async function runDueWorkflows(now = new Date()): Promise<{ queued: QueuedRun[]; skipped: SkippedRun[] }> {
  const db = await getDb();
  const due = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.isEnabled, true), isNotNull(workflows.nextRunAt), lte(workflows.nextRunAt, now)));
  const queued: QueuedRun[] = [];
  const skipped: SkippedRun[] = [];
  for (const workflow of due) {
    const [claimed] = await db
      .update(workflows)
      .set({ lastRunAt: now, nextRunAt: nextRunAfter(workflow.schedule, workflow.timeZone, now) })
      .where(and(eq(workflows.id, workflow.id), eq(workflows.nextRunAt, workflow.nextRunAt!)))
      .returning({ id: workflows.id });
    if (!claimed) continue;
    if (!isAgentId(workflow.agentId)) {
      skipped.push({ workflowId: workflow.id, reason: `Unknown agent ${workflow.agentId}` });
      continue;
    }
    const estimated = await estimateForWorkspace(workflow.workspaceId, workflow.agentId, workflow.settings, now);
    const started = estimated.ok
      ? await queueExecution({
          workspaceId: workflow.workspaceId, estimate: estimated.estimate, triggeredBy: null, chargedUserId: workflow.createdBy,
          rerunOf: null, workflowId: workflow.id, idempotencyKey: `workflow:${workflow.id}:${workflow.nextRunAt!.toISOString()}`,
        })
      : estimated;
    if (started.ok) queued.push({ executionId: started.executionId, workspaceId: workflow.workspaceId, workflowId: workflow.id });
    else skipped.push({ workflowId: workflow.id, reason: started.message });
  }
  return { queued, skipped };
}

