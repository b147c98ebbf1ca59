/**
 * `npm run bench:list`: the Past executions list over a large history on PostgreSQL
 * (BENCH_LIST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/runlog_bench_list,
 * recreated and dropped). Seeds 1.9 million runs (bench/list-seed.ts), then times
 * `listExecutions` and `countByStatus` as the page calls them, prints p50/p95 per case with
 * the node types of each case's query plan, and times the server-rendered page's first byte
 * (bench/page-ttfb.ts). Targets: every case p95 ≤ 20 ms, page 1,000 within 1.5× of page 1
 * (medians), page TTFB p95 ≤ 150 ms.
 *
 * BENCH_LIST_KEEP=1 keeps the database afterwards; BENCH_LIST_REUSE=1 measures a kept one
 * without seeding again; BENCH_LIST_PAGE=0 skips the page timing.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { Ctx } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/passwords";
import { countByStatus, listExecutions } from "@/lib/executions/list";
import { emptyFilter, parseListRequest, type Cursor, type ListRequest } from "@/lib/executions/list-filter";
import { benchPeople, middleMonth, seedListHistory, type BenchHistory } from "./list-seed";
import { explain, openBenchDatabase, percentile, planNodes, queryCapture, runBench, sampleCalls } from "./harness";
import { measurePageTtfb } from "./page-ttfb";

const warmups = 10;
const runs = Number(process.env.BENCH_LIST_RUNS ?? 50);
const deepPage = 1000;
const caseTargetMs = 20;
const deepPageRatio = 1.5;
const pageTargetMs = 150;

/** The SQL the list functions send, captured so it can be EXPLAINed as sent. */
const queries = queryCapture();

/** `isContext`: no target; how slow this machine is right now (a bare round trip through the app's client). */
type Case = { name: string; run: () => Promise<unknown>; isContext?: boolean };
type Measured = { name: string; p50: number; p95: number; dbMs: number; nodes: string[]; indexes: string[]; queries: number; isContext: boolean };

function request(query: string, cursor: Cursor | null = null): ListRequest {
  const parsed = parseListRequest(new URLSearchParams(query));
  if (!parsed.ok) throw new Error(`${query}: ${parsed.message}`);
  return { ...parsed, page: { after: cursor, before: null } };
}

/** The middle month as the filter bar writes it. */
function middleMonthQuery(now: Date): string {
  const { from, to } = middleMonth(now);
  return `range=custom&from=${from}&to=${to}`;
}

async function cursorOfPage(ctx: Ctx, page: number): Promise<Cursor> {
  let cursor: Cursor | null = null;
  for (let n = 1; n < page; n++) {
    const fetched = await listExecutions(ctx, request("", cursor));
    if (!fetched.next) throw new Error(`The history ends before page ${page}.`);
    cursor = fetched.next;
  }
  return cursor!;
}

/** `client`: the app's own postgres.js client, so EXPLAIN binds the parameters exactly as the app sent them. */
async function measure(client: postgres.Sql, { name, run, isContext = false }: Case): Promise<Measured> {
  const samples = await sampleCalls(run, warmups, runs);
  const captured = await queries.capture(run);
  const nodes = new Set<string>();
  const indexes = new Set<string>();
  let dbMs = 0;
  for (const query of captured) {
    const serverMs: number[] = [];
    for (let n = 0; n < 5; n++) {
      const explained = await explain(client, query, "analyze, timing off, format json");
      if (n === 0) {
        for (const node of planNodes(explained.plan)) {
          nodes.add(node.type);
          if (node.index) indexes.add(node.index);
        }
      }
      serverMs.push(explained.planningMs + explained.executionMs);
    }
    dbMs += percentile(serverMs, 50);
  }
  return { name, p50: percentile(samples, 50), p95: percentile(samples, 95), dbMs, nodes: [...nodes], indexes: [...indexes], queries: captured.length, isContext };
}

async function seedOrReuse(direct: postgres.Sql, now: Date, password: string): Promise<BenchHistory> {
  const passwordHash = await hashPassword(password);
  if (process.env.BENCH_LIST_REUSE === "1") {
    const { admin, member } = await benchPeople(direct);
    await direct`update users set password_hash = ${passwordHash} where email = 'admin@bench.test'`;
    const runsPerWorkspace = await direct<{ n: number }[]>`select count(*)::int as n from executions group by workspace_id order by n desc`;
    console.log("Reusing the kept bench database.");
    return { admin, member, workspaceRuns: runsPerWorkspace.map((r) => r.n) };
  }
  const started = performance.now();
  const history = await seedListHistory(direct, now, passwordHash);
  const [{ shares } = { shares: 0 }] = await direct<{ shares: number }[]>`select count(*)::int as shares from shares`;
  const total = history.workspaceRuns.reduce((a, b) => a + b, 0);
  console.log(
    `Seeded ${total.toLocaleString("en")} runs (${history.workspaceRuns[0]!.toLocaleString("en")} + ${history.workspaceRuns.length - 1} × ${history.workspaceRuns[1]!.toLocaleString("en")}), ` +
      `${shares.toLocaleString("en")} shares, vacuumed and analyzed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return history;
}

async function main() {
  const url = process.env.BENCH_LIST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_list";
  const isReuse = process.env.BENCH_LIST_REUSE === "1";
  const { database, direct, finish } = await openBenchDatabase(url, { reuse: isReuse, keep: process.env.BENCH_LIST_KEEP === "1", logger: queries.logger });
  // drizzle's client passes timestamps through as text (to the microsecond), as the keyset needs.
  const appClient = (database.db as unknown as { $client: postgres.Sql }).$client;
  try {
    const now = new Date();
    const password = randomBytes(12).toString("base64url");
    const { admin, member } = await seedOrReuse(direct, now, password);
    const adminCtx: Ctx = { userId: admin.userId, workspaceId: admin.workspaceId, role: "admin" };
    const memberCtx: Ctx = { userId: member.userId, workspaceId: member.workspaceId, role: "member" };

    const walked = performance.now();
    const deepCursor = await cursorOfPage(adminCtx, deepPage);
    console.log(`Walked to page ${deepPage} by cursor in ${((performance.now() - walked) / 1000).toFixed(1)} s`);

    const cases: Case[] = [
      { name: "first page, admin", run: () => listExecutions(adminCtx, request("")) },
      { name: `page ${deepPage.toLocaleString("en")} by cursor, admin`, run: () => listExecutions(adminCtx, request("", deepCursor)) },
      { name: "SEO audit + failed + 30 days", run: () => listExecutions(adminCtx, request("agent=seo-audit&status=failed&range=30d")) },
      { name: `custom month (${middleMonth(now).from}…${middleMonth(now).to})`, run: () => listExecutions(adminCtx, request(middleMonthQuery(now))) },
      { name: "first page, member", run: () => listExecutions(memberCtx, request("")) },
      { name: "sorted by duration, admin", run: () => listExecutions(adminCtx, request("sort=duration")) },
      { name: "sorted by credits, fewest first, admin", run: () => listExecutions(adminCtx, request("sort=credits&dir=asc")) },
      { name: "sorted by credits, member", run: () => listExecutions(memberCtx, request("sort=credits")) },
      { name: "find by the first 8 of an ID, admin", run: () => listExecutions(adminCtx, request(`id=${deepCursor.id.slice(0, 8)}`)) },
      { name: "status counts, admin", run: () => countByStatus(adminCtx, emptyFilter) },
      { name: "status counts, member", run: () => countByStatus(memberCtx, emptyFilter) },
      { name: "context: select 1", run: async () => (await getDb()).execute(sql`select 1`), isContext: true },
    ];
    const results: Measured[] = [];
    for (const benchCase of cases) results.push(await measure(appClient, benchCase));

    const pad = Math.max(...results.map((r) => r.name.length)) + 2;
    console.log(`\n${"case".padEnd(pad)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}${"db ms".padStart(8)}  p95 ≤ ${caseTargetMs} ms  plan nodes`);
    for (const r of results) {
      const plan = `${r.nodes.join(", ")}${r.queries > 1 ? ` (${r.queries} queries)` : ""}`;
      const verdict = r.isContext ? "" : r.p95 <= caseTargetMs ? "PASS" : "MISS";
      console.log(`${r.name.padEnd(pad)}${r.p50.toFixed(2).padStart(8)}${r.p95.toFixed(2).padStart(8)}${r.dbMs.toFixed(2).padStart(8)}  ${verdict.padEnd(13)}${plan}`);
    }
    console.log("(p50/p95: the function call as the page makes it; db ms: the server's planning + execution, median of 5 EXPLAIN ANALYZE)");
    console.log("\nindexes used:");
    for (const r of results.filter((r) => !r.isContext)) console.log(`  ${r.name.padEnd(pad)}${r.indexes.join(", ") || "none"}`);
    const [first, deep] = results as [Measured, Measured];
    const ratio = deep.p50 / first.p50;
    console.log(`\npage ${deepPage} vs page 1 (p50): ${ratio.toFixed(2)}× — ${ratio <= deepPageRatio ? "PASS" : "MISS"} (≤ ${deepPageRatio}×)`);

    if (process.env.BENCH_LIST_PAGE !== "0") {
      const page = await measurePageTtfb({ databaseUrl: url, email: admin.email, password, pagePath: "/executions", warmups: 5, runs: 30 });
      const p95 = percentile(page.ttfbMs, 95);
      console.log(
        `GET /executions as the admin: TTFB p50 ${percentile(page.ttfbMs, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms ` +
          `(whole page p50 ${percentile(page.totalMs, 50).toFixed(1)} ms) — ${p95 <= pageTargetMs ? "PASS" : "MISS"} (p95 ≤ ${pageTargetMs} ms)`,
      );
      if (page.problem) console.log(`  but the page did not render: ${page.problem}`);
    }
  } finally {
    await finish();
  }
}

runBench(main);
