/**
 * `npm run bench:detail`: the execution detail page's server time on PostgreSQL
 * (BENCH_DETAIL_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/runlog_bench_detail,
 * recreated and dropped). Seeds one workspace with a partial SEO audit of 10,000 items
 * (1,000 failed) with 100,000 processing-log lines and 10,000 recommendations, written by
 * PostgreSQL itself (INSERT … SELECT generate_series). Then calls what the page calls —
 * getVisibleExecution, troubleshooting, the processing log, the result loaders — for the
 * positions people open, prints p50/p95 per case and the plan nodes and indexes of each
 * query, and, when a production build newer than the page exists, the page's TTFB under
 * `next start` (bench/page-ttfb.ts). Target: every case p95 < 300 ms.
 *
 * BENCH_DETAIL_RUNS (default 30) sets the timed runs per case; BENCH_DETAIL_PAGE=0 skips the
 * page timing; BENCH_DETAIL_KEEP=1 keeps the database afterwards.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import postgres from "postgres";
import { getDb } from "@/db/client";
import { executionResults, executions, memberships, platformConnections, users, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/passwords";
import { moveCredits } from "@/lib/credits/ledger";
import { listItemIssues, readExecutionLog, summarizeExecutionLog } from "@/lib/executions/log";
import type { QueryParams } from "@/lib/url-state/params";
import { mayApply } from "@/lib/executions/permissions";
import { loadExecutionContent } from "@/lib/executions/content";
import { getVisibleExecution } from "@/lib/executions/queries";
import { findPreviousRun } from "@/lib/executions/previous-run";
import { listReportFiles } from "@/lib/exports/report-files";
import { troubleshootExecution } from "@/lib/executions/troubleshooting";
import { getExecutionResults } from "@/lib/results/queries";
import { parseRecommendationParams } from "@/lib/results/recommendation-filter";
import { listRecommendations } from "@/lib/results/recommendations";
import { measurePageTtfb } from "./page-ttfb";
import { type Measured, measureWithPlans, openBenchDatabase, percentile, queryCapture, runBench } from "./harness";

const logLines = 100_000;
const itemCount = 10_000;
const recommendationCount = 10_000;
const batches = 500;
const warmups = 5;
const runs = Math.max(30, Number(process.env.BENCH_DETAIL_RUNS ?? 30));
const targetMs = 300;

/** The SQL the measured functions send, captured so each can be EXPLAINed as sent. */
const queries = queryCapture();

type Seeded = { ctx: Ctx; executionId: string; email: string; password: string };

async function seed(sql: postgres.Sql): Promise<Seeded> {
  const db = await getDb();
  const workspaceId = randomUUID();
  const userId = randomUUID();
  const connectionId = randomUUID();
  const executionId = randomUUID();
  const email = "admin@bench-detail.test";
  const password = randomBytes(12).toString("base64url");
  const finishedAt = new Date();
  const startedAt = new Date(finishedAt.getTime() - logLines * 20);
  await db.transaction(async (tx) => {
    await tx.insert(workspaces).values({ id: workspaceId, name: "Bench detail", slug: "bench-detail" });
    await tx.insert(users).values({ id: userId, email, name: "Bench admin", passwordHash: await hashPassword(password) });
    await tx.insert(memberships).values({ workspaceId, userId, role: "admin" });
    await tx.insert(platformConnections).values({ id: connectionId, workspaceId, name: "Bench store", health: "rate_limited", rateLimitPerSecond: 5 });
    await moveCredits(tx, { workspaceId, kind: "grant", amount: 1_000_000, idempotencyKey: "grant:bench-detail" });
    await tx.insert(executions).values({
      id: executionId, workspaceId, agentId: "seo-audit", agentVersion: "1.0.0", status: "partial",
      settings: { includePages: true, includeProducts: false }, scope: { mode: "all", maxItems: itemCount }, connectionId,
      itemsTotal: itemCount, itemsProcessed: itemCount - itemCount / 10, itemsFailed: itemCount / 10,
      creditsReserved: 20_005, creditsCharged: 18_005, creditsRefunded: 2_000, preview: `${recommendationCount} changes suggested · ${itemCount / 10} items failed`,
      triggeredBy: userId, createdAt: new Date(startedAt.getTime() - 2000), startedAt, finishedAt, batchesDone: batches,
    });
    await tx.insert(executionResults).values({ executionId, workspaceId, kind: "recommendations", title: "Suggested changes", position: 0, payload: { count: recommendationCount, summary: `${recommendationCount} changes suggested` } });
  });

  const at = (ms: number) => new Date(startedAt.getTime() + ms).toISOString();
  // Every 10th item failed, with one of three reasons.
  await sql`
    insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, reason, score, processed_at)
    select ${executionId}, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g,
      (case when g % 10 = 0 then 'failed' else 'processed' end)::item_outcome,
      case when g % 10 = 0 then (array['The page is not published, so it has no live URL to audit.', 'The product has no description to analyse.', 'The main image could not be downloaded (HTTP 404).'])[g % 3 + 1] end,
      case when g % 10 = 0 then null else (g * 37) % 100 end,
      ${at(0)}::timestamptz + g * interval '200 ms'
    from generate_series(1, ${itemCount}::int) g`;
  await sql`
    insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, before_value, after_value, priority, rationale, created_at)
    select ${executionId}, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g,
      (array['title', 'meta_description', 'h1'])[g % 3 + 1], 'Old value of page ' || g, 'A better value for page ' || g,
      ((array['high', 'medium', 'low'])[g % 3 + 1])::priority, 'Longer, more specific text ranks better for page ' || g, ${finishedAt.toISOString()}::timestamptz
    from generate_series(1, ${recommendationCount}::int) g`;
  // Line 1 starts, line 100,000 finishes; between them 500 batches of (about) 200 lines:
  // checks at debug and info, two "Could not process" warnings, and last the batch line
  // with its speed.
  await sql`
    insert into execution_logs (execution_id, workspace_id, seq, at, level, step, message, data)
    select ${executionId}, ${workspaceId}, g, ${at(0)}::timestamptz + g * interval '20 ms',
      (case when g = 1 or g = ${logLines}::int or p = 199 then 'info' when p in (50, 150) then 'warn' when p % 2 = 0 then 'debug' else 'info' end)::log_level,
      case when g = 1 then 'start' when g = ${logLines}::int then 'finish' else 'batch ' || b || '/' || ${batches}::int end,
      case
        when g = 1 then 'Started SEO audit v1.0.0 on ' || ${itemCount}::int || ' items'
        when g = ${logLines}::int then 'Finished: ' || ${itemCount - itemCount / 10}::int || ' processed, ' || ${itemCount / 10}::int || ' failed'
        when p = 199 then 'Processed 20 items in ' || round(ms / 1000.0, 1) || ' s'
        when p in (50, 150) then 'Could not process “Bench page ' || (b * 20 - (case when p = 50 then 10 else 0 end)) || '”: the page is not published'
        else 'Checked “Bench page ' || ((b - 1) * 20 + p / 10 + 1) || '”: rule ' || (p % 10 + 1)
      end,
      case
        when p = 199 then jsonb_build_object('items', 20, 'ms', ms, 'itemsPerSecond', round(20 / (ms / 1000.0), 1))
        when p in (50, 150) then jsonb_build_object('itemRef', 'page-' || (b * 20 - (case when p = 50 then 10 else 0 end)))
      end
    from generate_series(1, ${logLines}::int) g,
      lateral (select g / 200 + 1 as b, g % 200 as p) position,
      lateral (select 3500 + (b * 37) % 500 as ms) timing`;
  await seedNeighbours(sql, workspaceId, userId, startedAt);
  await sql.unsafe("vacuum analyze");
  return { ctx: { userId, workspaceId, role: "admin" }, executionId, email, password };
}

/**
 * 199 other runs in the workspace with 2,000 log lines, 100 items and 50 recommendations
 * each, so the measured run shares its tables as it would in use and the planner reads it
 * through the indexes rather than scanning tables that hold nothing else.
 */
async function seedNeighbours(sql: postgres.Sql, workspaceId: string, userId: string, before: Date) {
  const runs = sql`select gen_random_uuid() as id, n from generate_series(1, 199) n`;
  await sql`
    create temp table bench_neighbours as ${runs}`;
  await sql`
    insert into executions (id, workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, triggered_by, created_at, started_at, finished_at)
    select id, ${workspaceId}, 'seo-audit', '1.0.0', 'completed', '{}'::jsonb, '{"mode": "all", "maxItems": 100}'::jsonb, 100, 100, ${userId},
      ${before.toISOString()}::timestamptz - n * interval '1 hour', ${before.toISOString()}::timestamptz - n * interval '1 hour', ${before.toISOString()}::timestamptz - n * interval '1 hour' + interval '40 s'
    from bench_neighbours`;
  await sql`
    insert into execution_logs (execution_id, workspace_id, seq, at, level, step, message, data)
    select r.id, ${workspaceId}, g, ${before.toISOString()}::timestamptz - r.n * interval '1 hour' + g * interval '20 ms', 'info', 'batch ' || ((g - 1) / 200 + 1) || '/10', 'Checked item ' || g,
      case when g % 200 = 0 then '{"items": 20, "ms": 3800, "itemsPerSecond": 5.3}'::jsonb end
    from bench_neighbours r, generate_series(1, 2000) g`;
  await sql`
    insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome)
    select r.id, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g, 'processed' from bench_neighbours r, generate_series(1, 100) g`;
  await sql`
    insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, after_value, priority, rationale)
    select r.id, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g, 'title', 'A better title', 'medium', 'Clearer' from bench_neighbours r, generate_series(1, 50) g`;
  await sql`drop table bench_neighbours`;
}

/** What app/(app)/executions/[id]/page.tsx loads, in the order it does; keep the two in step. */
async function loadDetailPage(ctx: Ctx, executionId: string, query: QueryParams) {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) throw new Error("The bench execution is not visible.");
  const hasTrouble = execution.status === "failed" || execution.status === "partial";
  const content = await loadExecutionContent(ctx, execution, query);
  const [diagnosis, canApply, previousRunId, downloads] = await Promise.all([
    hasTrouble && content.tab === "overview" ? troubleshootExecution(ctx, execution.id) : null,
    mayApply(ctx, execution),
    findPreviousRun(ctx, execution),
    content.tab === "downloads" ? listReportFiles(ctx, execution.id) : [],
  ]);
  // Each tab loads its own part only: the Overview its diagnosis, the Log tab its log, and so on.
  const { tab, blocks, log, recommendations } = content;
  const isWhole = tab === "overview" ? diagnosis !== null
    : tab === "log" ? log !== null && log.page.ok && log.summary.ok && log.issues.ok
    : tab === "results" ? (blocks?.length ?? 0) > 0
    : tab === "recommendations" ? (recommendations?.page.rows.length ?? 0) > 0 : true;
  if (!isWhole) throw new Error(`The bench page's ${tab} tab did not load whole.`);
  return { content, diagnosis, canApply, previousRunId, downloads };
}

const measure = (sql: postgres.Sql, name: string, run: () => Promise<unknown>, isExplained = false) =>
  measureWithPlans(sql, queries.capture, name, run, { warmups, runs, isExplained });

/** Whether `.next` holds a production build made after the detail page last changed. */
function hasFreshBuild(): boolean {
  const buildId = path.join(process.cwd(), ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return false;
  const built = fs.statSync(buildId).mtimeMs;
  const sources = [path.join("app", "(app)", "executions", "[id]", "page.tsx"), path.join("lib", "executions", "log.ts"), path.join("components", "executions", "log", "processing-log.tsx")];
  return sources.every((file) => fs.statSync(path.join(process.cwd(), file)).mtimeMs < built);
}

async function main() {
  const url = process.env.BENCH_DETAIL_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_detail";
  const { direct: sql, finish } = await openBenchDatabase(url, { keep: process.env.BENCH_DETAIL_KEEP === "1", logger: queries.logger });
  try {
    const seededAt = performance.now();
    const { ctx, executionId, email, password } = await seed(sql);
    console.log(
      `Seeded the measured run — ${logLines.toLocaleString("en")} log lines, ${itemCount.toLocaleString("en")} items (${(itemCount / 10).toLocaleString("en")} failed), ` +
        `${recommendationCount.toLocaleString("en")} recommendations — and 199 smaller runs beside it (398,000 more lines) in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`,
    );

    const page = (query: QueryParams) => () => loadDetailPage(ctx, executionId, query);
    const wholePage: [string, QueryParams][] = [
      ["page: first open (Overview)", {}],
      ["page: Results tab", { tab: "results" }],
      ["page: Log tab", { tab: "log" }],
      ["page: log at line 99,800", { logAfter: "99800" }],
      ["page: last log page", { logBefore: String(logLines + 1) }],
      ["page: warnings and errors", { logLevel: "warn" }],
      ["page: warnings at line 90,000", { logLevel: "warn", logAfter: "90000" }],
      ["page: errors (none in run)", { logLevel: "error" }],
      ["page: items search “image”", { issues: "image" }],
      ["page: recommendations high", { rp: "high" }],
    ];
    const parts: [string, () => Promise<unknown>][] = [
      ["getVisibleExecution", () => getVisibleExecution(ctx, executionId)],
      ["troubleshootExecution", () => troubleshootExecution(ctx, executionId)],
      ["summarizeExecutionLog", () => summarizeExecutionLog(ctx, executionId)],
      ["readExecutionLog (first 200)", () => readExecutionLog(ctx, executionId, { after: null, before: null, level: "all", limit: 200 })],
      ["readExecutionLog (errors: none)", () => readExecutionLog(ctx, executionId, { after: null, before: null, level: "error", limit: 200 })],
      ["listItemIssues (first 25)", () => listItemIssues(ctx, executionId, { text: null, after: null, limit: 25 })],
      ["getExecutionResults", () => getExecutionResults(ctx, executionId)],
      ["listRecommendations (page 1)", () => listRecommendations({ id: executionId }, parseRecommendationParams({}).filter)],
    ];
    const results: Measured[] = [];
    for (const [label, query] of wholePage) results.push(await measure(sql, label, page(query)));
    for (const [label, run] of parts) results.push(await measure(sql, label, run, true));

    const pad = Math.max(...results.map((r) => r.name.length)) + 2;
    console.log(`\n${runs} runs each after ${warmups} warm-ups\n${"case".padEnd(pad)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}  p95 < ${targetMs} ms`);
    for (const r of results) console.log(`${r.name.padEnd(pad)}${r.p50.toFixed(1).padStart(8)}${r.p95.toFixed(1).padStart(8)}  ${r.p95 < targetMs ? "PASS" : "MISS"}`);
    console.log("\nqueries (EXPLAIN ANALYZE: table, time, plan nodes):");
    for (const r of results.filter((m) => m.plans.length)) {
      console.log(`  ${r.name}`);
      for (const plan of r.plans) console.log(`    ${plan}`);
    }

    if (process.env.BENCH_DETAIL_PAGE === "0") return;
    if (!hasFreshBuild()) {
      console.log("\nGET /executions/[id]: skipped — no production build newer than the page; run `npx next build` first.");
      return;
    }
    for (const [label, query] of [["first open", ""], ["log at line 99,800", "?logAfter=99800"]] as const) {
      const timing = await measurePageTtfb({ databaseUrl: url, email, password, pagePath: `/executions/${executionId}${query}`, warmups: 5, runs: 30 });
      const p95 = percentile(timing.ttfbMs, 95);
      console.log(
        `\nGET /executions/[id] (${label}) under next start: TTFB p50 ${percentile(timing.ttfbMs, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms ` +
          `(whole page p50 ${percentile(timing.totalMs, 50).toFixed(1)} ms) — ${p95 < targetMs ? "PASS" : "MISS"} (p95 < ${targetMs} ms)`,
      );
      if (timing.problem) console.log(`  but the page did not render: ${timing.problem}`);
    }
  } finally {
    await finish();
  }
}

runBench(main);
