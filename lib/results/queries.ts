import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { actionItems, executionResults, users, type Priority, type ResultKind } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution, type ExecutionRow } from "@/lib/executions/queries";
import { disclosureOf, nameFor, teammate } from "@/lib/executions/disclosure";
import { basisDifferences, countMetricRates, findPreviousRun } from "@/lib/executions/previous-run";
import { reportPayload, scoresPayload, summaryPayload, type Metric, type ReportPayload, type SummaryPayload } from "./payloads";

/**
 * What the details page shows under "Results": an execution's result blocks in their
 * order, each with what it needs to be drawn. A payload that fails its schema comes back
 * as `isReadable: false` so the page says so calmly instead of failing.
 */

export type ComparedMetric = Metric & {
  /** The same metric in the previous run of this agent, when there is one. */
  previous: number | null;
  /**
   * For a count over the run's period or items (sessions, images), when the two runs' bases
   * differ: both as a rate, which is what can be compared.
   */
  rate: { unit: "per day" | "per item"; value: number; previous: number } | null;
};


export type PreviousRun = { id: string; createdAt: Date };

/** How a metric moved since the previous run, as the page says it; null without a previous value. */
export type MetricChange = { delta: number; verdict: "better" | "worse" | "no change" | "different basis" };

export function changeOf(metric: Pick<ComparedMetric, "value" | "previous" | "isHigherBetter">, isSameBasis: boolean): MetricChange | null {
  if (metric.previous === null) return null;
  const delta = Math.round((metric.value - metric.previous) * 100) / 100;
  if (!isSameBasis) return { delta, verdict: "different basis" };
  return { delta, verdict: delta === 0 ? "no change" : delta > 0 === metric.isHigherBetter ? "better" : "worse" };
}

export type MetricComparison = { metrics: ComparedMetric[]; previousRun: PreviousRun | null; basisDifferences: string[] };

export type ActionItemRow = {
  id: string;
  priority: Priority;
  title: string;
  detail: string;
  isDone: boolean;
  doneByName: string | null;
  doneAt: Date | null;
};

type BlockBase = { id: string; title: string };

export type ResultBlock = BlockBase & (
  | { kind: ResultKind; isReadable: false }
  | { kind: "report"; isReadable: true; report: ReportPayload }
  | { kind: "scores"; isReadable: true; metrics: ComparedMetric[]; previousRun: PreviousRun | null; basisDifferences: string[] }
  | { kind: "generated_content"; isReadable: true; summary: SummaryPayload }
  | { kind: "action_items"; isReadable: true; summary: SummaryPayload; items: ActionItemRow[] }
  | { kind: "recommendations"; isReadable: true; summary: SummaryPayload }
);

/**
 * An execution's result blocks, ordered by position, if this person may see the execution.
 * A malformed, foreign or unknown id answers `null`, like `getVisibleExecution`.
 */
export async function getExecutionResults(ctx: Ctx, executionId: string): Promise<ResultBlock[] | null> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return null;
  const db = await getDb();
  const rows = await db
    .select({ id: executionResults.id, kind: executionResults.kind, title: executionResults.title, payload: executionResults.payload })
    .from(executionResults)
    .where(eq(executionResults.executionId, execution.id))
    .orderBy(asc(executionResults.position), asc(executionResults.createdAt));
  const blocks: ResultBlock[] = [];
  for (const row of rows) blocks.push(await loadBlock(ctx, execution, row));
  return blocks;
}

async function loadBlock(ctx: Ctx, execution: ExecutionRow, row: BlockBase & { kind: ResultKind; payload: unknown }): Promise<ResultBlock> {
  const base = { id: row.id, title: row.title };
  const unreadable = { ...base, kind: row.kind, isReadable: false as const };
  switch (row.kind) {
    case "report": {
      const parsed = reportPayload.safeParse(row.payload);
      return parsed.success ? { ...base, kind: "report", isReadable: true, report: parsed.data } : unreadable;
    }
    case "scores": {
      const parsed = scoresPayload.safeParse(row.payload);
      if (!parsed.success) return unreadable;
      return { ...base, kind: "scores", isReadable: true, ...(await compareWithPreviousRun(ctx, execution, parsed.data.metrics)) };
    }
    case "generated_content": {
      const parsed = summaryPayload.safeParse(row.payload);
      if (!parsed.success) return unreadable;
      // The texts themselves are the run's one recommendation list, where they are edited and applied.
      return { ...base, kind: "generated_content", isReadable: true, summary: parsed.data };
    }
    case "action_items": {
      const parsed = summaryPayload.safeParse(row.payload);
      if (!parsed.success) return unreadable;
      return { ...base, kind: "action_items", isReadable: true, summary: parsed.data, items: await listActionItems(ctx, execution.id) };
    }
    case "recommendations": {
      const parsed = summaryPayload.safeParse(row.payload);
      return parsed.success ? { ...base, kind: "recommendations", isReadable: true, summary: parsed.data } : unreadable;
    }
  }
}

/**
 * Each metric beside its value in the previous run, by the one rule for which run that is
 * (lib/executions/previous-run.ts, as the Compare button). When the two runs' settings, scope
 * or period differ, the block says how, and counts come with their rates. The page and the
 * downloads both read it, so they show the same figures.
 */
export async function compareWithPreviousRun(ctx: Ctx, execution: ExecutionRow, metrics: Metric[]): Promise<MetricComparison> {
  const none = { metrics: metrics.map((m) => ({ ...m, previous: null, rate: null })), previousRun: null, basisDifferences: [] };
  const earlier = await findPreviousRun(ctx, execution);
  if (!earlier) return none;
  const db = await getDb();
  const [block] = await db
    .select({ payload: executionResults.payload })
    .from(executionResults)
    .where(and(eq(executionResults.executionId, earlier.id), eq(executionResults.kind, "scores")))
    .orderBy(asc(executionResults.position))
    .limit(1);
  const parsed = scoresPayload.safeParse(block?.payload);
  if (!parsed.success) return none;
  const before = new Map(parsed.data.metrics.map((m) => [m.key, m.value]));
  const differences = basisDifferences(execution, earlier);
  const rateOf = (value: number, items: number) => Math.round((value / Math.max(1, items)) * 100) / 100;
  return {
    previousRun: { id: earlier.id, createdAt: earlier.createdAt },
    basisDifferences: differences,
    metrics: metrics.map((m) => {
      const previous = before.get(m.key) ?? null;
      const unit = countMetricRates[m.key];
      const rate = differences.length > 0 && unit && previous !== null
        ? { unit, value: rateOf(m.value, execution.itemsProcessed), previous: rateOf(previous, earlier.itemsProcessed) }
        : null;
      return { ...m, previous, rate };
    }),
  };
}

/** An execution's action items, high priority first, then in the order the agent wrote them; who ticked each off, as this viewer may see them. */
async function listActionItems(ctx: Ctx, executionId: string): Promise<ActionItemRow[]> {
  const db = await getDb();
  const disclosure = disclosureOf(ctx);
  const rows = await db
    .select({
      id: actionItems.id, priority: actionItems.priority, title: actionItems.title, detail: actionItems.detail,
      isDone: actionItems.isDone, doneByName: users.name, doneAt: actionItems.doneAt,
    })
    .from(actionItems)
    .leftJoin(users, eq(users.id, actionItems.doneBy))
    .where(eq(actionItems.executionId, executionId))
    .orderBy(asc(actionItems.priority), asc(actionItems.position), asc(actionItems.id));
  // Shown as "Done by …": the neutral word in lower case there.
  return rows.map((row) => ({ ...row, doneByName: nameFor(disclosure, row.doneByName)?.replace(teammate, "a teammate") ?? null }));
}

