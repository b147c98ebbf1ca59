import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, not, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionItems, executionLogs, executions, platformConnections, type Execution } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { failureStories } from "./failure-stories";
import { listItemIssues, loadProcessingLog, readExecutionLog, summarizeExecutionLog, type LogPage } from "./log";
import { parseItemIssuesRequest, parseLogRequest, type LogRequest } from "./log-request";
import { troubleshootExecution } from "./troubleshooting";
import { visibleExecutions } from "./visibility";

let admin: Ctx;
let maya: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, globexAdmin } = await seededPeople()));

const lineCount = sql<number>`(select count(*)::int from ${executionLogs} where ${executionLogs.executionId} = ${executions.id})`;

/** The seeded run matching `where` with the longest log. */
async function seededRun(where: SQL): Promise<Execution> {
  const db = await getDb();
  const [row] = await db.select().from(executions).where(where).orderBy(desc(lineCount), asc(executions.id)).limit(1);
  expect(row, "the seed has what this test needs").toBeDefined();
  return row!;
}

async function seqsOf(executionId: string, levels?: ("warn" | "error")[]): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ seq: executionLogs.seq })
    .from(executionLogs)
    .where(and(eq(executionLogs.executionId, executionId), levels ? inArray(executionLogs.level, levels) : undefined))
    .orderBy(asc(executionLogs.seq));
  return rows.map((r) => r.seq);
}

const longLogLines = 250;
const longLogStop = 200;

/**
 * A failed run like a seeded one but with a 250-line log: a warning every 9th line, an
 * error every 50th, and the run stopping at line 200. The seed's logs are a dozen lines.
 */
async function runWithLongLog(): Promise<Execution> {
  const like = await seededRun(acmeRun(admin, eq(executions.status, "failed")));
  const db = await getDb();
  const [run] = await db.insert(executions).values({ ...like, id: randomUUID(), idempotencyKey: null, errorLogSeq: longLogStop }).returning();
  await db.execute(sql`
    insert into ${executionLogs} (execution_id, workspace_id, seq, at, level, step, message)
    select ${run!.id}::uuid, ${run!.workspaceId}::uuid, g, now() + g * interval '10 ms',
      (case when g % 50 = 0 then 'error' when g % 9 = 0 then 'warn' else 'info' end)::log_level,
      'batch ' || (g / 20 + 1), 'Line ' || g
    from generate_series(1, ${longLogLines}::int) g`);
  return run!;
}

const request = (change: Partial<LogRequest> = {}): LogRequest => ({ after: null, before: null, level: "all", limit: 7, ...change });

function readOk(page: Awaited<ReturnType<typeof readExecutionLog>>): LogPage {
  if (!page.ok) throw new Error(page.message);
  return page;
}

async function walkForward(ctx: Ctx, executionId: string, change: Partial<LogRequest> = {}): Promise<LogPage[]> {
  const pages = [readOk(await readExecutionLog(ctx, executionId, request(change)))];
  while (pages.at(-1)!.next !== null) pages.push(readOk(await readExecutionLog(ctx, executionId, request({ ...change, after: pages.at(-1)!.next }))));
  return pages;
}

const acmeRun = (ctx: Ctx, ...more: SQL[]) => and(eq(executions.workspaceId, ctx.workspaceId), isNull(executions.archivedAt), ...more)!;

describe("the processing log", () => {
  let longRun: Execution;
  beforeAll(async () => {
    longRun = await runWithLongLog();
  });

  it("walks every line of a long run in order, page by page: none missing, none twice", async () => {
    const run = longRun;
    const expected = await seqsOf(run.id);
    expect(expected).toHaveLength(longLogLines);
    const pages = await walkForward(admin, run.id);
    expect(pages.flatMap((p) => p.lines.map((l) => l.seq))).toEqual(expected);
    expect(pages.slice(0, -1).every((p) => p.lines.length === 7)).toBe(true);
    expect(pages[0]!.prev).toBeNull();
    expect(pages.at(-1)!.next).toBeNull();
  });

  it("walks back with `before` through exactly the lines it came through", async () => {
    const run = longRun;
    const expected = await seqsOf(run.id);
    const seen: number[] = [];
    let page = readOk(await readExecutionLog(admin, run.id, request({ before: expected.at(-1)! + 1 })));
    expect(page.next).toBeNull();
    seen.unshift(...page.lines.map((l) => l.seq));
    while (page.prev !== null) {
      page = readOk(await readExecutionLog(admin, run.id, request({ before: page.prev })));
      expect(page.next).not.toBeNull();
      seen.unshift(...page.lines.map((l) => l.seq));
    }
    expect(seen).toEqual(expected);
  });

  it("shows only warnings and errors, or only errors, across pages", async () => {
    const run = longRun;
    const problems = await seqsOf(run.id, ["warn", "error"]);
    const errors = await seqsOf(run.id, ["error"]);
    expect(errors.length).toBeGreaterThan(0);
    expect(problems.length).toBeGreaterThan(errors.length);
    const warnPages = await walkForward(admin, run.id, { level: "warn", limit: 2 });
    expect(warnPages.flatMap((p) => p.lines.map((l) => l.seq))).toEqual(problems);
    expect(warnPages.flatMap((p) => p.lines).every((l) => l.level === "warn" || l.level === "error")).toBe(true);
    const errorPages = await walkForward(admin, run.id, { level: "error" });
    expect(errorPages.flatMap((p) => p.lines.map((l) => l.seq))).toEqual(errors);
  });

  it("opens at the line where a failed run stopped, with lines before it to read", async () => {
    const run = longRun;
    const page = readOk(await readExecutionLog(admin, run.id, request({ after: run.errorLogSeq! - 11, limit: 200 })));
    const stop = page.lines.find((l) => l.seq === run.errorLogSeq);
    expect(stop).toMatchObject({ level: "error", message: `Line ${longLogStop}` });
    expect(page.lines[0]!.seq).toBe(run.errorLogSeq! - 10);
    expect(page.prev).toBe(page.lines[0]!.seq);
  });

  it("sums up each step: its lines, its items and speed from the batch line, and the run's totals", async () => {
    const run = await seededRun(acmeRun(admin, eq(executions.status, "completed")));
    const summary = await summarizeExecutionLog(admin, run.id);
    if (!summary.ok) throw new Error(summary.message);
    const db = await getDb();
    const batchLines = await db
      .select({ step: executionLogs.step, data: executionLogs.data })
      .from(executionLogs)
      .where(and(eq(executionLogs.executionId, run.id), sql`${executionLogs.data} ? 'itemsPerSecond'`));
    expect(batchLines.length).toBeGreaterThan(1);
    expect(summary.lines).toBe((await seqsOf(run.id)).length);
    expect(summary.steps.map((s) => s.step)).toEqual([...new Set(summary.steps.map((s) => s.step))]);
    expect(summary.steps[0]!.step).toBe("start");
    expect(summary.steps.at(-1)!.step).toBe("finish");
    const items = batchLines.reduce((sum, l) => sum + Number(l.data!.items), 0);
    expect(summary.items).toBe(items);
    expect(items).toBe(run.itemsProcessed + run.itemsFailed);
    const first = summary.steps.find((s) => s.step === batchLines[0]!.step)!;
    const data = batchLines[0]!.data as { items: number; ms: number };
    expect(first.items).toBe(data.items);
    expect(first.itemsPerSecond).toBeCloseTo(data.items / (data.ms / 1000), 0);
    expect(summary.durationMs).toBe(summary.steps.at(-1)!.endedAt.getTime() - summary.steps[0]!.startedAt.getTime());
    expect(summary.slowest!.durationMs).toBe(Math.max(...summary.steps.filter((s) => s.items !== null).map((s) => s.durationMs)));
  });

  it("lists the items that could not be processed with why, and finds them by name or reason", async () => {
    const run = await seededRun(acmeRun(admin, eq(executions.status, "partial"), sql`${executions.itemsFailed} >= 2`));
    const db = await getDb();
    const failed = await db.select().from(executionItems).where(and(eq(executionItems.executionId, run.id), eq(executionItems.outcome, "failed"))).orderBy(asc(executionItems.id));
    expect(failed).toHaveLength(run.itemsFailed);

    const firstPage = await listItemIssues(admin, run.id, { text: null, after: null, limit: 1 });
    if (!firstPage.ok) throw new Error(firstPage.message);
    expect(firstPage.items.map((i) => i.itemRef)).toEqual([failed[0]!.itemRef]);
    expect(firstPage.matching).toBe(failed.length);
    const rest = await listItemIssues(admin, run.id, { text: null, after: firstPage.next, limit: 50 });
    expect(rest.ok && rest.items.map((i) => i.itemRef)).toEqual(failed.slice(1).map((f) => f.itemRef));
    expect(rest.ok && rest.next).toBeNull();

    const byName = await listItemIssues(admin, run.id, { text: failed[0]!.itemLabel.toUpperCase(), after: null, limit: 50 });
    expect(byName.ok && byName.items.map((i) => i.itemRef)).toContain(failed[0]!.itemRef);
    const reason = failed[0]!.reason!;
    const byReason = await listItemIssues(admin, run.id, { text: reason.slice(2, 14), after: null, limit: 50 });
    expect(byReason.ok && byReason.items.every((i) => i.reason!.toLowerCase().includes(reason.slice(2, 14).toLowerCase()) || i.itemLabel.toLowerCase().includes(reason.slice(2, 14).toLowerCase()))).toBe(true);
    expect(byReason.ok && byReason.items.length).toBeGreaterThan(0);
    const wildcard = await listItemIssues(admin, run.id, { text: "%", after: null, limit: 50 });
    expect(wildcard.ok && wildcard.matching).toBe(failed.filter((f) => `${f.itemLabel}${f.itemRef}${f.reason}`.includes("%")).length);
  });

  it("reads a page of the log from the page's query string, and names a mistake in it", async () => {
    const run = await seededRun(acmeRun(admin, eq(executions.status, "partial")));
    const view = await loadProcessingLog(admin, run.id, { logAfter: "3", logLevel: "all", issues: " " });
    expect(view.page.ok && view.page.lines[0]!.seq).toBe(4);
    expect(view.issuesText).toBeNull();
    expect(view.issues.ok && view.issues.matching).toBe(run.itemsFailed);
    const wrong = await loadProcessingLog(admin, run.id, { logAfter: "three", issuesAfter: "-2" });
    expect(wrong.page).toMatchObject({ ok: false, code: "invalid_input", message: "A log position is a line number, like 200." });
    expect(wrong.issues).toMatchObject({ ok: false, code: "invalid_input" });
    expect(wrong.summary.ok).toBe(true);
  });
});

describe("who may read a log", () => {
  it("answers not found to a member for a run they cannot see, and to another workspace", async () => {
    const db = await getDb();
    const [hidden] = await db.select({ id: executions.id }).from(executions).where(and(eq(executions.workspaceId, admin.workspaceId), not(visibleExecutions(maya)), eq(executions.status, "partial"))).limit(1);
    expect(hidden).toBeDefined();
    for (const [ctx, id] of [[maya, hidden!.id], [globexAdmin, hidden!.id], [admin, "not-a-uuid"], [admin, "00000000-0000-4000-8000-000000000000"]] as const) {
      expect(await readExecutionLog(ctx, id, request())).toMatchObject({ ok: false, code: "not_found" });
      expect(await summarizeExecutionLog(ctx, id)).toMatchObject({ ok: false, code: "not_found" });
      expect(await listItemIssues(ctx, id, { text: null, after: null, limit: 5 })).toMatchObject({ ok: false, code: "not_found" });
      expect(await troubleshootExecution(ctx, id)).toBeNull();
    }
    expect((await readExecutionLog(admin, hidden!.id, request())).ok).toBe(true);
  });

  it("lets a member read the log of a run they can see", async () => {
    const run = await seededRun(and(visibleExecutions(maya), eq(executions.triggeredBy, maya.userId))!);
    const page = readOk(await readExecutionLog(maya, run.id, request()));
    expect(page.lines.map((l) => l.seq)).toEqual((await seqsOf(run.id)).slice(0, 7));
  });
});

describe("reading log positions", () => {
  it.each([
    [{ after: "abc" }, "A log position is a line number, like 200."],
    [{ after: "1.5" }, "A log position is a whole line number, like 200."],
    [{ before: "-1" }, "A log position is 0 or more."],
    [{ after: "99999999999" }, "That log position is past the end of any log."],
    [{ after: "3", before: "9" }, "Give one position, after or before, not both."],
    [{ level: "debug" }, "Level is all, warn (warnings and errors) or error."],
    [{ limit: "0" }, "Page size must be between 1 and 1000."],
    [{ limit: "5000" }, "Page size must be between 1 and 1000."],
  ])("refuses %j with one sentence", (values, message) => {
    expect(parseLogRequest(values)).toEqual({ ok: false, code: "invalid_input", message });
  });

  it("reads defaults and ignores blanks", () => {
    expect(parseLogRequest({ after: "", level: "" })).toEqual({ ok: true, after: null, before: null, level: "all", limit: 200 });
    expect(parseLogRequest({ before: "250", level: "warn", limit: "50" })).toEqual({ ok: true, after: null, before: 250, level: "warn", limit: 50 });
    expect(parseItemIssuesRequest({ text: "  missing image ", after: "12" })).toEqual({ ok: true, text: "missing image", after: 12, limit: 25 });
    expect(parseItemIssuesRequest({ text: "x".repeat(201) })).toMatchObject({ ok: false, message: "Search for at most 200 characters." });
  });
});

describe("troubleshooting", () => {
  it("tells a failed run's likely cause and check, where it stopped, and the connection's health now", async () => {
    const run = await seededRun(acmeRun(admin, eq(executions.status, "failed"), isNotNull(executions.errorLogSeq), isNotNull(executions.connectionId)));
    const db = await getDb();
    const [connection] = await db.select().from(platformConnections).where(eq(platformConnections.id, run.connectionId!));
    const diagnosis = await troubleshootExecution(admin, run.id);
    const story = failureStories[run.errorCode!];
    expect(diagnosis).toMatchObject({ status: "failed", errorCode: run.errorCode, cause: story.cause, check: story.check, stoppedAt: { seq: run.errorLogSeq, level: "error" } });
    expect(diagnosis!.connection).toMatchObject({ name: connection!.name, health: connection!.health });
    expect(diagnosis!.connection!.advice).toMatch(/\S/);
    expect(diagnosis!.failedItems).toEqual([]);
  });

  it("lists a partial run's first failed items with their reasons", async () => {
    const run = await seededRun(acmeRun(admin, eq(executions.status, "partial")));
    const diagnosis = await troubleshootExecution(admin, run.id, 2);
    expect(diagnosis!.status).toBe("partial");
    expect(diagnosis!.stoppedAt).toBeNull();
    expect(diagnosis!.failedItems.length).toBe(Math.min(2, run.itemsFailed));
    expect(diagnosis!.failedItems.every((i) => i.reason)).toBe(true);
  });

  it("has nothing to say about a run that went well", async () => {
    const completed = await seededRun(acmeRun(admin, eq(executions.status, "completed")));
    expect(await troubleshootExecution(admin, completed.id)).toBeNull();
  });
});
