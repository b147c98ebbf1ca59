import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { executeRows, getDb } from "@/db/client";
import { executionItems, executionResults, executions, recommendations, users, workflows, type ExecutionStatus } from "@/db/schema";
import { agentCatalog, agentName, isAgentId } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { flattenSettings, settingLabel } from "@/lib/executions/readable-settings";
import { basisDifferences, comparableStatuses, countMetricRates } from "@/lib/executions/previous-run";
import { visibleExecutionIds, visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";
import { scoresPayload, type Metric } from "@/lib/results/payloads";
import { checkComparedIds, type ComparePeriod, type CompareRequest } from "./compare-request";

/**
 * Compare executions (DESIGN F8): two to five runs of one agent side by side — settings that
 * differ, metrics with their changes, recommendation counts, the items whose scores moved
 * most between the oldest and the newest, and the agent's trend over a period. Every read is
 * bounded: the compared runs by id, their items and recommendations through their
 * execution's indexes, the trend by the newest `trendRunLimit` visible runs.
 */

/** Runs that finished with results; only these are compared over time or offered to add. */
/** The trend chart draws at most this many runs, the newest of the period. */
export const trendRunLimit = 100;
/** Items listed per kind of change (the counts cover them all). */
const itemChangeLimit = 10;
/** Recent runs offered for adding to the comparison. */
const recentRunLimit = 8;
/** The trend draws at most this many metrics, one chart each. */
const trendMetricLimit = 4;

export type RecommendationCounts = { high: number; medium: number; low: number; total: number; applied: number; applyRate: number | null };

export type ComparedRun = {
  id: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  status: ExecutionStatus;
  /** The person who started it, or the workflow that did. */
  who: string;
  preview: string | null;
  itemsProcessed: number;
  itemsTotal: number;
  recommendations: RecommendationCounts;
};

/**
 * How a value moved from one run to the next: `changed` when neither direction is better, or
 * when the two runs differ in settings, scope or period (no verdict then); `per` when a count
 * was compared as a rate because of that.
 */
export type Delta = { amount: number; verdict: "better" | "worse" | "unchanged" | "changed"; per?: "per day" | "per item" };

/**
 * One measure across the compared runs, oldest first: a metric of the runs' scores, or for
 * the description writer, texts written and applied. `isHigherBetter: null` means neither
 * direction is better (how many texts a run wrote).
 */
export type ComparedMeasure = {
  key: string;
  label: string;
  unit?: string;
  isHigherBetter: boolean | null;
  values: (number | null)[];
  /** Against the run before it in the comparison; null for the oldest or where a value is missing. */
  deltas: (Delta | null)[];
  /** Newest against oldest. */
  overall: Delta | null;
  /** Set when some compared runs stand on another basis than the run before them: what that means for this measure. */
  basisNote?: string;
};

export type SettingDifference = { name: string; label: string; values: string[] };

type ItemChange = { itemRef: string; itemLabel: string; itemType: string; before: number | null; after: number | null };
export type ItemChangeGroup = { total: number; items: ItemChange[] };
/** Between the oldest and the newest compared run. */
type ItemChanges = {
  fromRunId: string;
  toRunId: string;
  improved: ItemChangeGroup;
  regressed: ItemChangeGroup;
  /** Checked in the newest run only. */
  added: ItemChangeGroup;
  /** Had recommendations in the oldest run and none in the newest. */
  resolved: ItemChangeGroup;
};

type TrendChart = { key: string; title: string; unit?: string; points: { executionId: string; at: Date; value: number }[] };
type Trend = { periodDays: ComparePeriod; runCount: number; isCapped: boolean; charts: TrendChart[] };

type RecentRun = { id: string; createdAt: Date; status: ExecutionStatus; preview: string | null; isCompared: boolean };

export type Comparison = {
  agentId: string;
  agentName: string;
  /** Oldest first. */
  runs: ComparedRun[];
  measures: ComparedMeasure[];
  settings: SettingDifference[];
  /** Null for agents that do not score items (analytics review, description writer). */
  items: ItemChanges | null;
  trend: Trend;
  recentRuns: RecentRun[];
};

type SelectedRun = { run: ComparedRun; agentId: string; settings: Record<string, unknown> };

const notFound = "One or more of these executions could not be found. They may have been deleted, or they are not shared with you.";

/**
 * The comparison of `request.ids` for this person. Ids they cannot see answer `not_found`,
 * exactly like ids that do not exist; runs of different agents are refused.
 */
export async function compareExecutions(ctx: Ctx, request: CompareRequest): Promise<Outcome<{ comparison: Comparison }>> {
  const checked = checkComparedIds(request.ids);
  if (!checked.ok) return checked;
  const selected = await loadSelectedRuns(ctx, checked.ids);
  if (selected.length !== checked.ids.length) return failure("not_found", notFound);
  // Agents named in the order the person chose the runs (the query returns rows in no set order).
  const agentById = new Map(selected.map((s) => [s.run.id, s.agentId]));
  const agentIds = [...new Set(checked.ids.map((id) => agentById.get(id)!))];
  if (agentIds.length > 1) {
    const names = new Intl.ListFormat("en", { type: "conjunction" }).format(agentIds.map(agentName));
    return failure("invalid_input", `Only runs of one agent can be compared; these are runs of ${names}. Choose runs of a single agent.`);
  }
  const agentId = agentIds[0]!;
  selected.sort((a, b) => a.run.createdAt.getTime() - b.run.createdAt.getTime() || a.run.id.localeCompare(b.run.id));
  const runs = selected.map((s) => s.run);
  const ids = runs.map((run) => run.id);
  const hasScores = isAgentId(agentId) && (agentCatalog[agentId].resultKinds as readonly string[]).includes("scores");
  const hasItemScores = hasScores && isAgentId(agentId) && agentCatalog[agentId].itemType !== "day";

  const [metricsByRun, counts, items] = await Promise.all([
    hasScores ? loadScores(ids) : new Map<string, Metric[]>(),
    countRecommendations(ids),
    hasItemScores ? compareItems(runs[0]!.id, runs[runs.length - 1]!.id) : null,
  ]);
  for (const run of runs) run.recommendations = counts.get(run.id) ?? emptyCounts();
  const bases = selected.map((s) => ({ settings: s.settings, itemsProcessed: s.run.itemsProcessed }));
  const measures = hasScores ? scoreMeasures(runs, metricsByRun, bases) : textMeasures(runs);
  const trend = await loadTrend(ctx, agentId, request.periodDays, hasScores ? measures.slice(0, trendMetricLimit) : measures.filter((m) => m.key !== "texts_applied"));

  return {
    ok: true,
    comparison: {
      agentId,
      agentName: agentName(agentId),
      runs,
      measures,
      settings: settingDifferences(selected.map((s) => s.settings)),
      items,
      trend: trend.trend,
      recentRuns: trend.recent.map((run) => ({ ...run, isCompared: ids.includes(run.id) })),
    },
  };
}

async function loadSelectedRuns(ctx: Ctx, ids: string[]): Promise<SelectedRun[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: executions.id, agentId: executions.agentId, status: executions.status, settings: executions.settings,
      createdAt: executions.createdAt, startedAt: executions.startedAt, finishedAt: executions.finishedAt,
      preview: executions.preview, itemsProcessed: executions.itemsProcessed, itemsTotal: executions.itemsTotal,
      triggeredByName: users.name, workflowName: workflows.name,
    })
    .from(executions)
    .leftJoin(users, eq(users.id, executions.triggeredBy))
    .leftJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(inArray(executions.id, ids), visibleExecutions(ctx)));
  return rows.map(({ triggeredByName, workflowName, agentId, settings, ...run }) => ({
    agentId,
    settings,
    run: { ...run, who: workflowName ? `Workflow “${workflowName}”` : triggeredByName ?? "—", recommendations: emptyCounts() },
  }));
}

/** Each run's metrics from its (first) scores result; a payload that fails its schema counts as none. */
async function loadScores(ids: string[]): Promise<Map<string, Metric[]>> {
  const db = await getDb();
  const rows = await db
    .select({ executionId: executionResults.executionId, payload: executionResults.payload })
    .from(executionResults)
    .where(and(inArray(executionResults.executionId, ids), eq(executionResults.kind, "scores")))
    .orderBy(asc(executionResults.position), asc(executionResults.createdAt));
  const byRun = new Map<string, Metric[]>();
  for (const row of rows) {
    const parsed = scoresPayload.safeParse(row.payload);
    if (parsed.success && !byRun.has(row.executionId)) byRun.set(row.executionId, parsed.data.metrics);
  }
  return byRun;
}

function emptyCounts(): RecommendationCounts {
  return { high: 0, medium: 0, low: 0, total: 0, applied: 0, applyRate: null };
}

/** Recommendations per run by priority, and how many were applied; read from the (execution, priority, status) index. */
async function countRecommendations(ids: string[]): Promise<Map<string, RecommendationCounts>> {
  const db = await getDb();
  const rows = await db
    .select({ executionId: recommendations.executionId, priority: recommendations.priority, status: recommendations.status, n: count() })
    .from(recommendations)
    .where(inArray(recommendations.executionId, ids))
    .groupBy(recommendations.executionId, recommendations.priority, recommendations.status);
  const byRun = new Map<string, RecommendationCounts>();
  for (const row of rows) {
    const counts = byRun.get(row.executionId) ?? emptyCounts();
    counts[row.priority] += row.n;
    counts.total += row.n;
    if (row.status === "applied") counts.applied += row.n;
    byRun.set(row.executionId, counts);
  }
  for (const counts of byRun.values()) counts.applyRate = counts.total > 0 ? counts.applied / counts.total : null;
  return byRun;
}

function deltaOf(before: number | null, after: number | null, isHigherBetter: boolean | null): Delta | null {
  if (before === null || after === null) return null;
  const amount = Math.round((after - before) * 100) / 100;
  if (amount === 0) return { amount: 0, verdict: "unchanged" };
  if (isHigherBetter === null) return { amount, verdict: "changed" };
  return { amount, verdict: amount > 0 === isHigherBetter ? "better" : "worse" };
}

function measureOf(base: Omit<ComparedMeasure, "deltas" | "overall">): ComparedMeasure {
  const { values, isHigherBetter } = base;
  return {
    ...base,
    deltas: values.map((value, n) => (n === 0 ? null : deltaOf(values[n - 1] ?? null, value, isHigherBetter))),
    overall: values.length > 2 ? deltaOf(values[0] ?? null, values[values.length - 1] ?? null, isHigherBetter) : null,
  };
}

/**
 * Every metric any compared run recorded, in the newest run's order, described as the newest
 * run describes it. Between runs of different settings, scope or period a count is compared
 * as a rate (per day, per item), and no change is called better or worse.
 */
function scoreMeasures(runs: ComparedRun[], metricsByRun: Map<string, Metric[]>, bases: { settings: unknown; itemsProcessed: number }[]): ComparedMeasure[] {
  const described = new Map<string, Metric>();
  for (const run of [...runs].reverse()) for (const metric of metricsByRun.get(run.id) ?? []) if (!described.has(metric.key)) described.set(metric.key, metric);
  const differs = (a: number, b: number) => basisDifferences(bases[b]!, bases[a]!).length > 0;
  const hasMixedBasis = runs.some((_, n) => n > 0 && differs(n - 1, n));
  return [...described.values()].map((metric) => {
    const measure = measureOf({
      key: metric.key,
      label: metric.label,
      unit: metric.unit,
      isHigherBetter: metric.isHigherBetter,
      values: runs.map((run) => metricsByRun.get(run.id)?.find((m) => m.key === metric.key)?.value ?? null),
    });
    if (!hasMixedBasis) return measure;
    const per = countMetricRates[metric.key];
    const rate = (n: number) => (measure.values[n] == null ? null : Math.round((measure.values[n]! / Math.max(1, bases[n]!.itemsProcessed)) * 100) / 100);
    const onOtherBasis = (from: number, to: number): Delta | null => {
      const delta = per ? deltaOf(rate(from), rate(to), null) : deltaOf(measure.values[from] ?? null, measure.values[to] ?? null, null);
      return delta && per ? { ...delta, per } : delta;
    };
    return {
      ...measure,
      deltas: measure.deltas.map((delta, n) => (n > 0 && differs(n - 1, n) ? onOtherBasis(n - 1, n) : delta)),
      overall: measure.overall && differs(0, runs.length - 1) ? onOtherBasis(0, runs.length - 1) : measure.overall,
      basisNote: per ? `Runs differ in settings, scope or period: compared ${per}, not better or worse` : "Runs differ in settings, scope or period: not called better or worse",
    };
  });
}

/** The description writer's measures: texts written (neither more nor fewer is better), applied, and the apply rate. */
function textMeasures(runs: ComparedRun[]): ComparedMeasure[] {
  return [
    measureOf({ key: "texts_written", label: "Texts generated", isHigherBetter: null, values: runs.map((run) => run.recommendations.total) }),
    measureOf({ key: "texts_applied", label: "Texts applied", isHigherBetter: true, values: runs.map((run) => run.recommendations.applied) }),
    measureOf({ key: "apply_rate", label: "Apply rate", unit: "%", isHigherBetter: true, values: runs.map((run) => percent(run.recommendations.applyRate)) }),
  ];
}

function percent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}

/** Settings whose values are not the same in every run, flattened to readable names ("Scope › max items"). */
export function settingDifferences(settings: Record<string, unknown>[]): SettingDifference[] {
  const flat = settings.map((s) => new Map(flattenSettings(s)));
  const names = [...new Set(flat.flatMap((map) => [...map.keys()]))];
  return names
    .map((name) => ({ name, label: settingLabel(name), values: flat.map((map) => map.get(name) ?? "not set") }))
    .filter((row) => new Set(row.values).size > 1);
}

type ItemChangeRow = { kind: "improved" | "regressed" | "added" | "resolved"; item_ref: string; item_label: string; item_type: string; before: number | null; after: number | null; total: number };

/**
 * Items whose score moved between two runs, the largest moves first (ties by item ref in
 * byte order, cheaper than sorting labels by collation), with how many there are of each
 * kind; new items (lowest score first) and resolved ones (had recommendations before, none
 * now). One statement that reads only those two runs' items and recommendations, each
 * through an index that starts with the execution id.
 */
async function compareItems(fromRunId: string, toRunId: string): Promise<ItemChanges> {
  const db = await getDb();
  const rows = await executeRows<ItemChangeRow>(db, sql`
    with before_items as (
      select ${executionItems.itemRef} as item_ref, ${executionItems.score} as score from ${executionItems} where ${executionItems.executionId} = ${fromRunId}
    ), after_items as (
      select ${executionItems.itemRef} as item_ref, ${executionItems.itemLabel} as item_label, ${executionItems.itemType} as item_type, ${executionItems.score} as score
      from ${executionItems} where ${executionItems.executionId} = ${toRunId} and ${executionItems.outcome} = 'processed'
    ), paired as (
      select a.item_ref, a.item_label, a.item_type, b.score as before, a.score as after, b.item_ref is null as is_added
      from after_items a left join before_items b on b.item_ref = a.item_ref
    ), changed as (
      select case when is_added then 'added' when after > before then 'improved' when after < before then 'regressed' end as kind,
        item_ref, item_label, item_type, before, after,
        case when is_added then -coalesce(after, 100) else abs(after - before) end as size
      from paired
      union all
      select 'resolved', item_ref, item_label, item_type, before, after, coalesce(after - before, 0)
      from paired
      where not is_added
        and item_ref in (select ${recommendations.itemRef} from ${recommendations} where ${recommendations.executionId} = ${fromRunId})
        and item_ref not in (select ${recommendations.itemRef} from ${recommendations} where ${recommendations.executionId} = ${toRunId})
    ), ranked as (
      select kind, item_ref, item_label, item_type, before, after,
        count(*) over (partition by kind) as total,
        row_number() over (partition by kind order by size desc, item_ref collate "C") as n
      from changed where kind is not null
    )
    select kind, item_ref, item_label, item_type, before::float8 as before, after::float8 as after, total::int as total
    from ranked where n <= ${itemChangeLimit} order by kind, n`);
  const group = (kind: ItemChangeRow["kind"]): ItemChangeGroup => {
    const of = rows.filter((row) => row.kind === kind);
    return {
      total: Number(of[0]?.total ?? 0),
      items: of.map((row) => ({ itemRef: row.item_ref, itemLabel: row.item_label, itemType: row.item_type, before: row.before, after: row.after })),
    };
  };
  return { fromRunId, toRunId, improved: group("improved"), regressed: group("regressed"), added: group("added"), resolved: group("resolved") };
}

/**
 * The agent's finished runs this person can see in the last `periodDays` days, the newest
 * `trendRunLimit` of them, with the values the chart draws: each run's scores payload, or
 * for the description writer its texts and applied texts, counted from the recommendation
 * index. The newest few double as the runs offered for adding to the comparison.
 */
async function loadTrend(ctx: Ctx, agentId: string, periodDays: ComparePeriod, measures: ComparedMeasure[]): Promise<{ trend: Trend; recent: Omit<RecentRun, "isCompared">[] }> {
  const db = await getDb();
  const conditions: SQL[] = [
    eq(executions.agentId, agentId),
    inArray(executions.status, [...comparableStatuses]),
    sql`${executions.createdAt} >= now() - make_interval(days => ${periodDays}::int)`,
  ];
  const visibleIds = visibleExecutionIds(ctx, conditions, "older", trendRunLimit + 1);
  const isTextAgent = measures.some((m) => m.key === "texts_written");
  // Select-list subqueries spell their columns out: drizzle leaves columns unqualified in the
  // select list of a one-table query, which would bind them to the inner table.
  const ofRun = (column: SQL) => sql`(select ${column} from ${recommendations} r where r.execution_id = executions.id)`;
  const rows = await db
    .select({
      id: executions.id, createdAt: executions.createdAt, status: executions.status, preview: executions.preview,
      scores: isTextAgent
        ? sql<unknown>`null`
        : sql<unknown>`(select r.payload from ${executionResults} r where r.execution_id = executions.id and r.kind = 'scores' order by r.position limit 1)`.mapWith(executionResults.payload),
      texts: isTextAgent ? sql<number>`${ofRun(sql`count(*)::int`)}`.mapWith(Number) : sql<number>`0`.mapWith(Number),
      applied: isTextAgent ? sql<number>`${ofRun(sql`(count(*) filter (where r.status = 'applied'))::int`)}`.mapWith(Number) : sql<number>`0`.mapWith(Number),
    })
    .from(executions)
    .where(and(eq(executions.workspaceId, ctx.workspaceId), inArray(executions.id, sql`(${visibleIds})`)))
    .orderBy(desc(executions.createdAt), desc(executions.id));
  const isCapped = rows.length > trendRunLimit;
  const drawn = rows.slice(0, trendRunLimit).reverse();
  const valuesOf = (row: (typeof rows)[number]): Map<string, number | null> => {
    if (isTextAgent) return new Map([["texts_written", row.texts], ["apply_rate", row.texts > 0 ? percent(row.applied / row.texts) : null]]);
    const parsed = scoresPayload.safeParse(row.scores);
    return new Map(parsed.success ? parsed.data.metrics.map((m) => [m.key, m.value]) : []);
  };
  const drawnValues = drawn.map((row) => ({ row, values: valuesOf(row) }));
  const charts = measures.map((measure) => ({
    key: measure.key,
    title: measure.label,
    unit: measure.unit,
    points: drawnValues.flatMap(({ row, values }) => {
      const value = values.get(measure.key) ?? null;
      return value === null ? [] : [{ executionId: row.id, at: row.createdAt, value }];
    }),
  }));
  return {
    trend: { periodDays, runCount: drawn.length, isCapped, charts },
    recent: rows.slice(0, recentRunLimit).map(({ id, createdAt, status, preview }) => ({ id, createdAt, status, preview })),
  };
}
