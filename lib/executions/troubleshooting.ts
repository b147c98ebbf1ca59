import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executions, platformConnections, type ConnectionHealth, type ExecutionErrorCode } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { connectionAdvice, failureStories, partialStory } from "./failure-stories";
import { listItemIssues, readLogLine, type ItemIssue, type LogLine } from "./log";
import { visibleExecutions } from "./visibility";

type ConnectionNow = {
  name: string;
  health: ConnectionHealth;
  healthChangedAt: Date;
  /** What this health means for running again. */
  advice: string;
};

export type Troubleshooting = {
  status: "failed" | "partial";
  errorCode: ExecutionErrorCode | null;
  cause: string;
  check: string;
  /** The log line where the run stopped, when it recorded one. */
  stoppedAt: LogLine | null;
  /** The run's store connection as it is now; null when it was removed. */
  connection: ConnectionNow | null;
  /** A partial run's first failed items, with why. */
  failedItems: ItemIssue[];
};

/**
 * What went wrong on a failed or partial run and what to do about it (F15): the likely
 * cause and the check from its failure story, the line where it stopped, and the store
 * connection's health right now. Null for runs that did not go wrong, and for runs this
 * person may not see.
 */
export async function troubleshootExecution(ctx: Ctx, executionId: string, failedItemCount = 5): Promise<Troubleshooting | null> {
  if (!z.uuid().safeParse(executionId).success) return null;
  const db = await getDb();
  const [run] = await db
    .select({
      status: executions.status,
      errorCode: executions.errorCode,
      errorLogSeq: executions.errorLogSeq,
      connectionName: platformConnections.name,
      health: platformConnections.health,
      rateLimitPerSecond: platformConnections.rateLimitPerSecond,
      latencyMs: platformConnections.latencyMs,
      healthChangedAt: platformConnections.healthChangedAt,
    })
    .from(executions)
    .leftJoin(platformConnections, and(eq(platformConnections.id, executions.connectionId), eq(platformConnections.workspaceId, executions.workspaceId)))
    .where(and(eq(executions.id, executionId), visibleExecutions(ctx)))
    .limit(1);
  if (!run || (run.status !== "failed" && run.status !== "partial")) return null;

  const story = run.errorCode ? failureStories[run.errorCode] : null;
  const [stoppedAt, failedItems] = await Promise.all([
    run.errorLogSeq !== null ? readLogLine(ctx, executionId, run.errorLogSeq) : null,
    run.status === "partial" ? listItemIssues(ctx, executionId, { text: null, after: null, limit: failedItemCount }) : null,
  ]);
  const { cause, check } = story ?? (run.status === "partial" ? partialStory : failureStories.internal);
  return {
    status: run.status,
    errorCode: run.errorCode,
    cause,
    check,
    stoppedAt,
    connection: run.health && run.connectionName && run.healthChangedAt
      ? {
          name: run.connectionName,
          health: run.health,
          healthChangedAt: run.healthChangedAt,
          advice: connectionAdvice(run.health, story?.isAboutConnection ?? false, { rateLimitPerSecond: run.rateLimitPerSecond, latencyMs: run.latencyMs }),
        }
      : null,
    failedItems: failedItems?.ok ? failedItems.items : [],
  };
}
