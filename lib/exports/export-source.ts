import { asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executionResults, workspaces, type ResultKind } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { disclosureOf, type Disclosure } from "@/lib/executions/disclosure";
import type { ExecutionRow } from "@/lib/executions/queries";
import { changeOf, compareWithPreviousRun } from "@/lib/results/queries";
import { reportPayload, scoresPayload, summaryPayload } from "@/lib/results/payloads";
import { overviewOf } from "./execution-overview";
import type { ExportedOverview, ExportedResult } from "./execution-schema";

/** What every export of one execution starts from: the run, its workspace and its result blocks. */
export type ExportSource = { execution: ExecutionRow; workspaceName: string; overview: ExportedOverview; results: ExportedResult[]; disclosure: Disclosure };

/**
 * The run as `ctx` sees it on its page: scores beside the previous run by the page's own rule
 * and function (lib/results/queries.ts), so a download and the page never disagree; through a
 * share link, without the credits and names the link hides (lib/executions/disclosure.ts).
 */
export async function loadExportSource(ctx: Ctx, execution: ExecutionRow): Promise<ExportSource> {
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
  const results: ExportedResult[] = [];
  for (const block of blocks) results.push(...(await exportedBlock(ctx, execution, block)));
  const disclosure = disclosureOf(ctx);
  return { execution, workspaceName, overview: overviewOf(execution, workspaceName, disclosure), results, disclosure };
}

async function exportedBlock(ctx: Ctx, execution: ExecutionRow, block: { kind: ResultKind; title: string; payload: unknown }): Promise<ExportedResult[]> {
  switch (block.kind) {
    case "report": {
      const parsed = reportPayload.safeParse(block.payload);
      return parsed.success ? [{ kind: "report", title: block.title, report: parsed.data }] : [];
    }
    case "scores": {
      const parsed = scoresPayload.safeParse(block.payload);
      if (!parsed.success) return [];
      const compared = await compareWithPreviousRun(ctx, execution, parsed.data.metrics);
      const isSameBasis = compared.basisDifferences.length === 0;
      return [{
        kind: "scores",
        title: block.title,
        metrics: compared.metrics.map(({ previous, rate, ...metric }) => {
          const change = changeOf({ ...metric, previous }, isSameBasis);
          return { ...metric, previousValue: previous, change: change?.delta ?? null, verdict: change?.verdict ?? null, rate };
        }),
        previousRun: compared.previousRun && { id: compared.previousRun.id, createdAt: compared.previousRun.createdAt.toISOString() },
        basisDifferences: compared.basisDifferences,
      }];
    }
    default: {
      const parsed = summaryPayload.safeParse(block.payload);
      return parsed.success ? [{ kind: block.kind, title: block.title, summary: parsed.data }] : [];
    }
  }
}
