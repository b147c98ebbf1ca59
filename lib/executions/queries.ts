import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executions, shares, users, workflows, type Execution } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { isLiveShareWith, visibleExecutions } from "./visibility";

export type ExecutionRow = Execution & { triggeredByName: string | null; workflowName: string | null };

const rowColumns = {
  execution: executions,
  triggeredByName: users.name,
  workflowName: workflows.name,
};

/**
 * One execution, if this person may see it. A malformed id, another workspace's id and
 * an id that does not exist all answer the same `null`, so nothing reveals that a
 * foreign execution exists.
 */
export async function getVisibleExecution(ctx: Ctx, id: string): Promise<ExecutionRow | null> {
  const parsed = z.uuid().safeParse(id);
  if (!parsed.success) return null;
  const db = await getDb();
  const [row] = await db
    .select(rowColumns)
    .from(executions)
    .leftJoin(users, eq(users.id, executions.triggeredBy))
    .leftJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(eq(executions.id, parsed.data), visibleExecutions(ctx)))
    .limit(1);
  return row ? { ...row.execution, triggeredByName: row.triggeredByName, workflowName: row.workflowName } : null;
}

export type SharedExecutionRow = ExecutionRow & {
  share: { permission: "view" | "apply"; message: string | null; sharedAt: Date; sharedByName: string | null };
};

/** Executions shared with this person, newest share first, with who shared and why. */
export async function listSharedWithMe(ctx: Ctx, limit = 50): Promise<SharedExecutionRow[]> {
  const db = await getDb();
  const sharer = db.select({ id: users.id, name: users.name }).from(users).as("sharer");
  const rows = await db
    .select({
      ...rowColumns,
      permission: shares.permission,
      message: shares.message,
      sharedAt: shares.createdAt,
      sharedByName: sharer.name,
    })
    .from(executions)
    .innerJoin(shares, and(eq(shares.executionId, executions.id), isLiveShareWith(ctx)))
    .leftJoin(sharer, eq(sharer.id, shares.createdBy))
    .leftJoin(users, eq(users.id, executions.triggeredBy))
    .leftJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(visibleExecutions(ctx))
    .orderBy(desc(shares.createdAt), desc(executions.id))
    .limit(limit);
  return rows.map(({ execution, triggeredByName, workflowName, permission, message, sharedAt, sharedByName }) => ({
    ...execution,
    triggeredByName,
    workflowName,
    share: { permission, message, sharedAt, sharedByName },
  }));
}
