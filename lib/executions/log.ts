/**
 * An execution's processing log as people read it (F5): pages of lines by keyset on the
 * line number, a per-step summary, and the items that could not be processed with why.
 * Every read walks the (execution_id, seq) primary key of execution_logs or the
 * (execution_id, outcome) index of execution_items, so a run with 100,000 lines opens as
 * fast as one with ten: no read ever loads every line into memory.
 */
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executionItems, executionLogs, executions, type ExecutionLog } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Failure } from "@/lib/outcome";
import type { QueryParams } from "@/lib/url-state/params";
import { disclosureOf, logDataFor, logMessageFor } from "./disclosure";
import { itemIssuesRequestFromPage, logRequestFromPage, type ItemIssuesRequest, type LogLevelFilter, type LogRequest } from "./log-request";
import { visibleExecutions } from "./visibility";

export type LogLine = Pick<ExecutionLog, "seq" | "at" | "level" | "step" | "message" | "data">;
/** `next`: read on with `after`; `prev`: read back with `before`; null when there is nothing that way. */
export type LogPage = { ok: true; lines: LogLine[]; next: number | null; prev: number | null };

export type StepSummary = {
  step: string;
  firstSeq: number;
  startedAt: Date;
  endedAt: Date;
  /** From the end of the step before to this step's last line: what the step took. */
  durationMs: number;
  lines: number;
  warnings: number;
  errors: number;
  /** From the step's batch line: items it covered and the agent's own time for them. */
  items: number | null;
  itemsPerSecond: number | null;
};

export type LogSummary = {
  ok: true;
  steps: StepSummary[];
  lines: number;
  warnings: number;
  errors: number;
  lastSeq: number | null;
  /** Items covered by batch lines, and the rate over the agent's time for them. */
  items: number;
  itemsPerSecond: number | null;
  durationMs: number | null;
  slowest: StepSummary | null;
};

export type ItemIssue = { id: number; itemType: string; itemRef: string; itemLabel: string; reason: string | null; processedAt: Date };
export type ItemIssuesPage = { ok: true; items: ItemIssue[]; matching: number; next: number | null };

const levelsShown: Record<LogLevelFilter, ExecutionLog["level"][] | null> = { all: null, warn: ["warn", "error"], error: ["error"] };

const notFound = () => failure("not_found", "Execution not found.");

/** Whether this person may see the execution: the one visibility rule, by primary key. */
async function isVisible(ctx: Ctx, executionId: string): Promise<boolean> {
  if (!z.uuid().safeParse(executionId).success) return false;
  const db = await getDb();
  const [row] = await db.select({ id: executions.id }).from(executions).where(and(eq(executions.id, executionId), visibleExecutions(ctx))).limit(1);
  return Boolean(row);
}

/** A line's columns, its message and data as this viewer may read them (./disclosure.ts). */
function lineColumns(ctx: Ctx) {
  const disclosure = disclosureOf(ctx);
  return {
    seq: executionLogs.seq, at: executionLogs.at, level: executionLogs.level, step: executionLogs.step,
    message: logMessageFor(disclosure, executionLogs.message).mapWith(executionLogs.message),
    data: logDataFor(disclosure, executionLogs.data).mapWith(executionLogs.data),
  };
}

function ofExecution(ctx: Ctx, executionId: string): SQL {
  return and(eq(executionLogs.executionId, executionId), eq(executionLogs.workspaceId, ctx.workspaceId))!;
}

/**
 * One page of log lines in order. Each page is an index walk from its position on
 * (execution_id, seq), so line 99,800 costs what line 1 does; whether there is anything
 * before or after the page is a one-row probe.
 */
export async function readExecutionLog(ctx: Ctx, executionId: string, request: LogRequest): Promise<LogPage | Failure> {
  if (!(await isVisible(ctx, executionId))) return notFound();
  const levels = levelsShown[request.level];
  const base = and(ofExecution(ctx, executionId), levels ? inArray(executionLogs.level, levels) : undefined)!;
  const isBackward = request.before !== null;
  const position = isBackward ? lt(executionLogs.seq, request.before!) : request.after !== null ? gt(executionLogs.seq, request.after) : undefined;
  const db = await getDb();
  const fetched = await db
    .select(lineColumns(ctx))
    .from(executionLogs)
    .where(and(base, position))
    .orderBy(isBackward ? desc(executionLogs.seq) : asc(executionLogs.seq))
    .limit(request.limit + 1);
  const hasMore = fetched.length > request.limit;
  const lines = fetched.slice(0, request.limit);
  if (isBackward) lines.reverse();
  const first = lines[0]?.seq ?? null;
  const last = lines.at(-1)?.seq ?? null;
  // The other direction from where the reader came: anything there at all?
  const hasOther = async (condition: SQL) => (await db.select({ seq: executionLogs.seq }).from(executionLogs).where(and(base, condition)).limit(1)).length > 0;
  if (isBackward) {
    const next = (await hasOther(gte(executionLogs.seq, request.before!))) ? (last ?? request.before! - 1) : null;
    return { ok: true, lines, next, prev: hasMore ? first : null };
  }
  const prev = request.after !== null && request.after > 0 && (await hasOther(lte(executionLogs.seq, request.after))) ? (first ?? request.after + 1) : null;
  return { ok: true, lines, next: hasMore ? last : null, prev };
}

/**
 * Per step: when it ran, what it took, how many lines, warnings and errors it wrote, and,
 * from its batch line (data `{ items, ms, itemsPerSecond }`), how many items it covered and
 * how fast. One aggregate over the execution's lines, read through the primary key.
 */
export async function summarizeExecutionLog(ctx: Ctx, executionId: string): Promise<LogSummary | Failure> {
  if (!(await isVisible(ctx, executionId))) return notFound();
  const db = await getDb();
  const isBatchLine = sql`${executionLogs.data}->>'itemsPerSecond' is not null`;
  const rows = await db
    .select({
      step: executionLogs.step,
      firstSeq: sql<number>`min(${executionLogs.seq})::int`,
      lastSeq: sql<number>`max(${executionLogs.seq})::int`,
      startedAt: sql`min(${executionLogs.at})`.mapWith(executionLogs.at),
      endedAt: sql`max(${executionLogs.at})`.mapWith(executionLogs.at),
      lines: sql<number>`count(*)::int`,
      warnings: sql<number>`(count(*) filter (where ${executionLogs.level} = 'warn'))::int`,
      errors: sql<number>`(count(*) filter (where ${executionLogs.level} = 'error'))::int`,
      items: sql<number | null>`(sum((${executionLogs.data}->>'items')::float8) filter (where ${isBatchLine}))::float8`,
      workMs: sql<number | null>`(sum((${executionLogs.data}->>'ms')::float8) filter (where ${isBatchLine}))::float8`,
    })
    .from(executionLogs)
    .where(ofExecution(ctx, executionId))
    .groupBy(executionLogs.step)
    .orderBy(sql`min(${executionLogs.seq})`);

  let previousEnd: Date | null = null;
  let items = 0;
  let workMs = 0;
  const steps: StepSummary[] = rows.map((row) => {
    const durationMs = row.endedAt.getTime() - (previousEnd ?? row.startedAt).getTime();
    previousEnd = row.endedAt;
    if (row.items !== null) items += row.items;
    if (row.workMs !== null) workMs += row.workMs;
    return {
      step: row.step,
      firstSeq: row.firstSeq,
      startedAt: row.startedAt,
      endedAt: row.endedAt,
      durationMs: Math.max(0, durationMs),
      lines: row.lines,
      warnings: row.warnings,
      errors: row.errors,
      items: row.items,
      itemsPerSecond: rate(row.items, row.workMs),
    };
  });
  const slowest = steps.filter((s) => s.items !== null).reduce<StepSummary | null>((worst, s) => (!worst || s.durationMs > worst.durationMs ? s : worst), null);
  const firstStart = steps[0]?.startedAt;
  const lastEnd = steps.reduce<Date | null>((latest, s) => (!latest || s.endedAt > latest ? s.endedAt : latest), null);
  return {
    ok: true,
    steps,
    lines: steps.reduce((sum, s) => sum + s.lines, 0),
    warnings: steps.reduce((sum, s) => sum + s.warnings, 0),
    errors: steps.reduce((sum, s) => sum + s.errors, 0),
    lastSeq: rows.reduce<number | null>((max, r) => (max === null || r.lastSeq > max ? r.lastSeq : max), null),
    items,
    itemsPerSecond: rate(items, workMs),
    durationMs: firstStart && lastEnd ? lastEnd.getTime() - firstStart.getTime() : null,
    slowest,
  };
}

function rate(items: number | null, ms: number | null): number | null {
  if (items === null || ms === null || items === 0) return null;
  return Math.round((items / Math.max(ms, 1)) * 10_000) / 10;
}

/** One log line by number, e.g. where a run stopped. */
export async function readLogLine(ctx: Ctx, executionId: string, seq: number): Promise<LogLine | null> {
  const db = await getDb();
  const [line] = await db
    .select(lineColumns(ctx))
    .from(executionLogs)
    .where(and(ofExecution(ctx, executionId), eq(executionLogs.seq, seq), sql`exists (select 1 from ${executions} where ${and(eq(executions.id, executionId), visibleExecutions(ctx))})`));
  return line ?? null;
}

/** `%`, `_` and `\` match themselves in a search. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The items that could not be processed, with why, oldest first by keyset on id; `text`
 * narrows to items whose name, reference or reason contains it. `matching` counts them all.
 */
export async function listItemIssues(ctx: Ctx, executionId: string, request: ItemIssuesRequest): Promise<ItemIssuesPage | Failure> {
  if (!(await isVisible(ctx, executionId))) return notFound();
  const pattern = request.text ? containing(request.text) : null;
  const matches = and(
    eq(executionItems.executionId, executionId),
    eq(executionItems.workspaceId, ctx.workspaceId),
    eq(executionItems.outcome, "failed"),
    pattern ? or(ilike(executionItems.itemLabel, pattern), ilike(executionItems.itemRef, pattern), ilike(executionItems.reason, pattern)) : undefined,
  );
  const db = await getDb();
  const [fetched, [counted]] = await Promise.all([
    db
      .select({ id: executionItems.id, itemType: executionItems.itemType, itemRef: executionItems.itemRef, itemLabel: executionItems.itemLabel, reason: executionItems.reason, processedAt: executionItems.processedAt })
      .from(executionItems)
      .where(and(matches, request.after !== null ? gt(executionItems.id, request.after) : undefined))
      .orderBy(asc(executionItems.id))
      .limit(request.limit + 1),
    db.select({ n: count() }).from(executionItems).where(matches),
  ]);
  const hasMore = fetched.length > request.limit;
  const items = fetched.slice(0, request.limit);
  return { ok: true, items, matching: counted?.n ?? 0, next: hasMore ? items.at(-1)!.id : null };
}

export type ProcessingLogView = {
  summary: LogSummary | Failure;
  page: LogPage | Failure;
  level: LogRequest["level"];
  issues: ItemIssuesPage | Failure;
  issuesText: string | null;
};

/**
 * Everything the detail page's processing log shows, from the page's query string: the
 * summary, the requested page of lines and of items with issues. A mistake in the query
 * string answers its sentence in place of the part it concerns.
 */
export async function loadProcessingLog(ctx: Ctx, executionId: string, params: QueryParams): Promise<ProcessingLogView> {
  const logRequest = logRequestFromPage(params);
  const issuesRequest = itemIssuesRequestFromPage(params);
  const [summary, page, issues] = await Promise.all([
    summarizeExecutionLog(ctx, executionId),
    logRequest.ok ? readExecutionLog(ctx, executionId, logRequest) : logRequest,
    issuesRequest.ok ? listItemIssues(ctx, executionId, issuesRequest) : issuesRequest,
  ]);
  return {
    summary,
    page,
    level: logRequest.ok ? logRequest.level : "all",
    issues,
    issuesText: issuesRequest.ok ? issuesRequest.text : null,
  };
}
