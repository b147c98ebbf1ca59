import { inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";

/** Runs that a stopped process left queued or running; the in-process runner resumes them on start. */
export async function listUnfinishedExecutions(): Promise<{ executionId: string; workspaceId: string }[]> {
  const db = await getDb();
  const rows = await db
    .select({ executionId: executions.id, workspaceId: executions.workspaceId })
    .from(executions)
    .where(inArray(executions.status, ["queued", "running"]));
  return rows;
}
