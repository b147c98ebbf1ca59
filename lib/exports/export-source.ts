import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executionResults, workspaces } from "@/db/schema";
import type { ExecutionRow } from "@/lib/executions/queries";
import { reportPayload, scoresPayload, summaryPayload } from "@/lib/results/payloads";
import { overviewOf } from "./execution-overview";
import type { ExportedOverview, ExportedResult } from "./execution-schema";

/** What every export of one execution starts from: the run, its workspace and its result blocks. */
export type ExportSource = { execution: ExecutionRow; workspaceName: string; overview: ExportedOverview; results: ExportedResult[] };

export async function loadExportSource(execution: ExecutionRow): Promise<ExportSource> {
  const db = await getDb();
  const [[workspace], blocks] = await Promise.all([
    db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, execution.workspaceId)),
    db
      .select({ kind: executionResults.kind, title: executionResults.title, payload: executionResults.payload })
      .from(executionResults)
      .where(eq(executionResults.executionId, execution.id))
      .orderBy(asc(executionResults.position), asc(executionResults.createdAt)),
  ]);
  const workspaceName = workspace?.name ?? "";
  // A payload that fails its schema is left out rather than exported in a shape nobody documented.
  const results = blocks.flatMap((block): ExportedResult[] => {
    switch (block.kind) {
      case "report": {
        const parsed = reportPayload.safeParse(block.payload);
        return parsed.success ? [{ kind: "report", title: block.title, report: parsed.data }] : [];
      }
      case "scores": {
        const parsed = scoresPayload.safeParse(block.payload);
        return parsed.success ? [{ kind: "scores", title: block.title, metrics: parsed.data.metrics }] : [];
      }
      default: {
        const parsed = summaryPayload.safeParse(block.payload);
        return parsed.success ? [{ kind: block.kind, title: block.title, summary: parsed.data }] : [];
      }
    }
  });
  return { execution, workspaceName, overview: overviewOf(execution, workspaceName), results };
}
