/**
 * `npm run bench:search`: searching Past executions (`q`) over bench/list.ts's 1.9 million
 * runs on PostgreSQL (BENCH_SEARCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/runlog_bench_search, recreated and dropped), each run
 * with about 2 KB of searchable text (bench/search-seed.ts). Times the first page as the
 * Past executions page and GET /api/executions ask for it (`listExecutions` with q=) for a
 * common word, a rare word, a partial word, an ID prefix, an accented word and CJK text, as
 * the admin and a member of the big workspace (1,000,000 runs), alone and with a filter,
 * with each case's plan; then bulk-deletes 100,000 runs found by a word through the app's
 * job (planBulkAction, startBulkAction, runBulkJob), timing each batch's transaction, and
 * checks nothing of them is left. Targets: one word p95 ≤ 50 ms, a partial word or ID prefix
 * p95 ≤ 150 ms, the bulk delete's longest transaction ≤ 2 s. Every figure is printed with the
 * machine's load average (1 minute), since the machine is shared.
 *
 * BENCH_SEARCH_KEEP=1 keeps the database afterwards; BENCH_SEARCH_REUSE=1 measures a kept one
 * without seeding again; BENCH_SEARCH_BULK=0 skips the bulk delete (which changes the data);
 * BENCH_SEARCH_RUNS sets the timed calls per case (50).
 */
import os from "node:os";
import type postgres from "postgres";
import type { Ctx } from "@/lib/auth/context";
import { planBulkAction, runBulkJob, startBulkAction } from "@/lib/executions/bulk-by-filter";
import { countByStatus, listExecutions } from "@/lib/executions/list";
import { parseListRequest, type ListRequest } from "@/lib/executions/list-filter";
import { seedListHistory, benchPeople } from "./list-seed";
import { bulkRuns, bulkWord, checkSample, rareWord, restorePoolTexts, searchPools, seedSearchRows } from "./search-seed";
import { explain, openBenchDatabase, percentile, planNodes, queryCapture, runBench, sampleCalls } from "./harness";

const warmups = 5;
const runs = Number(process.env.BENCH_SEARCH_RUNS ?? 50);
/** A call slower than this while warming up is timed only `slowRuns` times: the figure is a miss either way. */
const slowMs = 1000;
const slowRuns = 5;
const wordTargetMs = 50;
const partialTargetMs = 150;
const transactionTargetMs = 2000;

const queries = queryCapture();
const load = () => `load ${os.loadavg()[0]!.toFixed(1)}`;

type Case = { name: string; targetMs: number | null; run: () => Promise<unknown> };
type Measured = { name: string; targetMs: number | null; p50: number; p95: number; timed: number; dbMs: number; nodes: string[]; indexes: string[]; rows: number; load: string };

function request(query: string): ListRequest {
  const parsed = parseListRequest(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(`${query}: ${parsed.message}`);
  return parsed;
}

/** `client`: the app's own postgres.js client, so EXPLAIN binds the parameters exactly as the app sent them. */
async function measure(client: postgres.Sql, { name, targetMs, run }: Case): Promise<Measured> {
  const first = performance.now();
  const result = await run();
  const isSlow = performance.now() - first > slowMs;
  const samples = await sampleCalls(run, isSlow ? 0 : warmups - 1, isSlow ? slowRuns : runs);
  const loadAfter = load();
  const nodes = new Set<string>();
  const indexes = new Set<string>();
  let dbMs = 0;
  for (const query of await queries.capture(run)) {
    const explained = await explain(client, query, "analyze, format json");
    for (const node of planNodes(explained.plan)) {
      nodes.add(node.type);
      if (node.index) indexes.add(node.index);
    }
    dbMs += explained.planningMs + explained.executionMs;
  }
  const rows = (result as { rows?: unknown[] }).rows?.length ?? 0;
  return { name, targetMs, p50: percentile(samples, 50), p95: percentile(samples, 95), timed: samples.length, dbMs, nodes: [...nodes], indexes: [...indexes], rows, load: loadAfter };
}

function printResults(results: Measured[]) {
  const pad = Math.max(...results.map((r) => r.name.length)) + 2;
  console.log(`\n${"case".padEnd(pad)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"db ms".padStart(9)}${"rows".padStart(6)}  target      machine   plan nodes`);
  for (const r of results) {
    const verdict = r.targetMs === null ? "" : `${r.p95 <= r.targetMs ? "PASS" : "MISS"} ≤ ${r.targetMs}`;
    console.log(
      `${r.name.padEnd(pad)}${r.p50.toFixed(1).padStart(9)}${r.p95.toFixed(1).padStart(9)}${r.dbMs.toFixed(1).padStart(9)}${String(r.rows).padStart(6)}  ${verdict.padEnd(12)}${r.load.padEnd(10)}` +
        `${r.nodes.join(", ")}${r.timed < runs ? ` (only ${r.timed} timed: over ${slowMs} ms)` : ""}`,
    );
  }
  console.log(`(p50/p95: ${runs} calls of the function as the app makes it, after ${warmups} warm-ups; db ms: one EXPLAIN ANALYZE's planning + execution; machine: 1-minute load average after the case)`);
  console.log("\nindexes used:");
  for (const r of results) console.log(`  ${r.name.padEnd(pad)}${r.indexes.join(", ") || "none"}`);
}

/** How many runs of the workspace hold the word, counted in SQL (for the report, not timed). */
async function runsHolding(sql: postgres.Sql, workspaceId: string, word: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(distinct execution_id)::int as n from execution_search where workspace_id = ${workspaceId} and document @@ runlog_search_query(${word})`;
  return row!.n;
}

async function bulkDelete(direct: postgres.Sql, admin: Ctx) {
  const query = `q=${bulkWord}`;
  const started = performance.now();
  const planned = await planBulkAction(admin, { action: "delete", query });
  if (!planned.ok) throw new Error(planned.message);
  const planMs = performance.now() - started;
  console.log(`\nBulk delete of "${bulkWord}" as the admin: ${planned.plan.sentence} (counted in ${planMs.toFixed(0)} ms, ${load()})`);
  if (planned.plan.acting === 0) return console.log("  nothing to delete: was this kept database's bulk delete already run?");
  const job = await startBulkAction(admin, { action: "delete", query, expected: planned.plan.acting });
  if (!job.ok) throw new Error(job.message);
  const batchMs: number[] = [];
  let handled = 0;
  let maxLoad = 0;
  const ran = performance.now();
  const finished = await runBulkJob(job.job.id, {
    onBatch: ({ handled: n, ms }) => {
      batchMs.push(ms);
      handled += n;
      maxLoad = Math.max(maxLoad, os.loadavg()[0]!);
      if (batchMs.length % 50 === 0) console.log(`  ${handled.toLocaleString("en")} runs, batch ${batchMs.length}: ${ms.toFixed(0)} ms (${load()})`);
    },
  });
  const seconds = (performance.now() - ran) / 1000;
  const longest = Math.max(...batchMs);
  console.log(
    `  ${finished?.status}: ${finished?.done.toLocaleString("en")} deleted, ${finished?.skipped} skipped in ${batchMs.length} batches, ${seconds.toFixed(1)} s — ` +
      `${Math.round((finished?.done ?? 0) / seconds).toLocaleString("en")} runs/s; transactions p50 ${percentile(batchMs, 50).toFixed(0)} ms, p95 ${percentile(batchMs, 95).toFixed(0)} ms, ` +
      `longest ${longest.toFixed(0)} ms (batch ${batchMs.indexOf(longest) + 1} of ${batchMs.length}) — ${longest <= transactionTargetMs ? "PASS" : "MISS"} (≤ ${transactionTargetMs} ms) (${load()}, highest during the job ${maxLoad.toFixed(1)})`,
  );
  const [left] = await direct<{ runs: number; search: number; items: number; recommendations: number; logs: number; matching: number }[]>`
    select (select count(*) from executions where id in (select id from bench_bulk_runs))::int as runs,
      (select count(*) from execution_search where execution_id in (select id from bench_bulk_runs))::int as search,
      (select count(*) from execution_items where execution_id in (select id from bench_bulk_runs))::int as items,
      (select count(*) from recommendations where execution_id in (select id from bench_bulk_runs))::int as recommendations,
      (select count(*) from execution_logs where execution_id in (select id from bench_bulk_runs))::int as logs,
      (select count(*) from execution_search where document @@ runlog_search_query(${bulkWord}))::int as matching`;
  const residue = Object.entries(left!).filter(([, n]) => n > 0);
  console.log(`  left of the ${bulkRuns.toLocaleString("en")} runs: ${residue.length ? residue.map(([what, n]) => `${n} ${what}`).join(", ") : "nothing (runs, search rows, items, recommendations, log lines, rows holding the word: all 0)"}`);
}

async function main() {
  const url = process.env.BENCH_SEARCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_search";
  const isReuse = process.env.BENCH_SEARCH_REUSE === "1";
  const { database, direct, finish } = await openBenchDatabase(url, { reuse: isReuse, keep: process.env.BENCH_SEARCH_KEEP === "1", logger: queries.logger });
  const appClient = (database.db as unknown as { $client: postgres.Sql }).$client;
  try {
    const now = new Date();
    const pools = searchPools();
    const rare = rareWord(pools);
    if (isReuse) console.log("Reusing the kept bench database.");
    else {
      let started = performance.now();
      const history = await seedListHistory(direct, now, "");
      console.log(`Seeded ${history.workspaceRuns.reduce((a, b) => a + b, 0).toLocaleString("en")} runs (bench/list-seed.ts) in ${((performance.now() - started) / 1000).toFixed(1)} s (${load()})`);
      started = performance.now();
      const timings = await seedSearchRows(direct, pools, history.admin.workspaceId);
      for (const [step, seconds] of Object.entries(timings)) console.log(`  ${step}: ${seconds.toFixed(1)} s`);
      const [size] = await direct<{ rows: number; table: string; gin: string }[]>`
        select (select count(*) from execution_search)::int as rows, pg_size_pretty(pg_table_size('execution_search')) as table, pg_size_pretty(pg_relation_size('execution_search_document_idx')) as gin`;
      console.log(`Search rows seeded in ${((performance.now() - started) / 1000).toFixed(1)} s (${load()}): ${size!.rows.toLocaleString("en")} rows, table ${size!.table}, GIN index ${size!.gin}`);
    }
    await restorePoolTexts(direct, pools);
    const sample = await checkSample(direct);
    console.log(`Sampled first rows equal to runlog_search_terms of "<hex ID> <ID> <text>": ${sample.equal} of ${sample.size}`);
    if (sample.equal !== sample.size) throw new Error("The seeded rows are not what the app would store.");
    const { admin, member } = await benchPeople(direct);
    const adminCtx: Ctx = { userId: admin.userId, workspaceId: admin.workspaceId, role: "admin" };
    const memberCtx: Ctx = { userId: member.userId, workspaceId: member.workspaceId, role: "member" };
    const [someRun] = await direct<{ id: string }[]>`select id from executions where workspace_id = ${admin.workspaceId} and triggered_by = ${member.userId} order by created_at desc offset 3000 limit 1`;
    const since = new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const filter = `agent=seo-audit&status=completed&range=custom&from=${since}&to=${now.toISOString().slice(0, 10)}`;

    const words: { label: string; q: string; targetMs: number }[] = [
      { label: "common word", q: "product", targetMs: wordTargetMs },
      { label: "rare word", q: rare, targetMs: wordTargetMs },
      { label: "partial word", q: "optim", targetMs: partialTargetMs },
      { label: "ID prefix (6)", q: someRun!.id.slice(0, 6), targetMs: partialTargetMs },
      { label: "ID prefix (8)", q: someRun!.id.slice(0, 8), targetMs: partialTargetMs },
      { label: "accented word", q: "café", targetMs: wordTargetMs },
      { label: "CJK", q: "夏季新品", targetMs: wordTargetMs },
    ];
    console.log(`\nWords (runs of the big workspace holding each, of 1,000,000; ${load()}):`);
    for (const word of words) {
      const held = word.label.startsWith("ID prefix (8)") ? "found by the ID's range" : `${(await runsHolding(direct, admin.workspaceId, word.q)).toLocaleString("en")} runs`;
      console.log(`  ${word.label.padEnd(15)} "${word.q}": ${held}`);
    }
    console.log(`  filter: ${filter}`);

    const cases: Case[] = [];
    for (const word of words) {
      for (const [who, ctx] of [["admin", adminCtx], ["member", memberCtx]] as const) {
        const q = `q=${encodeURIComponent(word.q)}`;
        cases.push({ name: `${word.label}, ${who}`, targetMs: word.targetMs, run: () => listExecutions(ctx, request(q), { now }) });
        cases.push({ name: `${word.label} + filter, ${who}`, targetMs: word.targetMs, run: () => listExecutions(ctx, request(`${q}&${filter}`), { now }) });
      }
    }
    // Past executions also counts each status beside the list (capped at 1,000): no target of its own.
    for (const word of words.filter((w) => w.label === "common word" || w.label === "rare word")) {
      for (const [who, ctx] of [["admin", adminCtx], ["member", memberCtx]] as const) {
        cases.push({ name: `status counts, ${word.label}, ${who}`, targetMs: null, run: () => countByStatus(ctx, request(`q=${encodeURIComponent(word.q)}`).filter, 1000, now) });
      }
    }
    const only = process.env.BENCH_SEARCH_ONLY;
    const results: Measured[] = [];
    for (const benchCase of cases.filter((c) => !only || c.name.includes(only))) {
      results.push(await measure(appClient, benchCase));
      const last = results.at(-1)!;
      console.log(`  ${last.name}: p50 ${last.p50.toFixed(1)} ms, p95 ${last.p95.toFixed(1)} ms (${last.load})`);
    }
    printResults(results);

    if (process.env.BENCH_SEARCH_BULK !== "0") await bulkDelete(direct, adminCtx);
  } finally {
    await finish();
  }
}

runBench(main);
