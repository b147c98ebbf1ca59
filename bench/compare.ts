/**
 * `npx tsx bench/compare.ts` (part of `npm run bench:insights`): compareExecutions on
 * PostgreSQL (BENCH_COMPARE_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/runlog_bench_compare, recreated and dropped). Seeds one
 * workspace with five SEO audits of 2,000 items each — per-item scores, about 1.5
 * recommendations per item, a scores result — among 800 other runs of all four agents over
 * the last year (100 items and 40 recommendations each), plus a second workspace of 400 runs
 * the comparison must not read. All rows are written by PostgreSQL itself (INSERT … SELECT
 * generate_series). Then times the comparison of the five (and of two) as the admin and as
 * the member who started them, prints p50/p95 and each query's plan. Target: p95 ≤ 200 ms.
 *
 * BENCH_COMPARE_RUNS (default 30) sets the timed runs per case; BENCH_COMPARE_KEEP=1 keeps
 * the database afterwards.
 */
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { getDb } from "@/db/client";
import { memberships, users, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { compareExecutions } from "@/lib/compare/compare";
import { type Measured, measureWithPlans, openBenchDatabase, queryCapture, runBench } from "./harness";

const comparedItems = 2_000;
const otherRuns = 800;
const warmups = 5;
const runs = Math.max(10, Number(process.env.BENCH_COMPARE_RUNS ?? 30));
const targetMs = 200;

/** The SQL the measured functions send, captured so each can be EXPLAINed as sent. */
const queries = queryCapture();

type Seeded = { admin: Ctx; member: Ctx; comparedIds: string[] };

async function seedWorkspace(sql: postgres.Sql, slug: string, runCount: number, withCompared: boolean): Promise<Seeded> {
  const db = await getDb();
  const workspaceId = randomUUID();
  const adminId = randomUUID();
  const memberId = randomUUID();
  await db.insert(workspaces).values({ id: workspaceId, name: `Bench ${slug}`, slug });
  await db.insert(users).values([
    { id: adminId, email: `admin@${slug}.test`, name: "Bench admin" },
    { id: memberId, email: `member@${slug}.test`, name: "Bench member" },
  ]);
  await db.insert(memberships).values([{ workspaceId, userId: adminId, role: "admin" }, { workspaceId, userId: memberId, role: "member" }]);

  // Other runs: half SEO audits, spread over the last year, the newest most often; a third started by the member.
  await sql`
    create temp table bench_runs as
    select gen_random_uuid() as id, n,
      (array['seo-audit', 'seo-audit', 'product-description-writer', 'analytics-review', 'performance-audit', 'seo-audit'])[n % 6 + 1] as agent_id,
      now() - (365 * power(n::float8 / ${runCount}::int, 1.6)) * interval '1 day' - interval '2 hours' as created_at,
      case when n % 3 = 0 then ${memberId}::uuid else ${adminId}::uuid end as triggered_by,
      (case when n % 10 = 0 then 'failed' when n % 10 = 1 then 'partial' else 'completed' end)::execution_status as status
    from generate_series(1, ${runCount}::int) n`;
  await sql`
    insert into executions (id, workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, triggered_by, created_at, started_at, finished_at, preview)
    select id, ${workspaceId}, agent_id, '1.0.0', status,
      jsonb_build_object('includePages', n % 2 = 0, 'titleMaxLength', 60, 'scope', jsonb_build_object('mode', 'all', 'maxItems', 100)),
      '{"mode": "all", "maxItems": 100}'::jsonb, 100, 100, triggered_by, created_at, created_at, created_at + interval '40 s', 'Avg SEO score ' || (40 + n % 50)
    from bench_runs`;
  await sql`
    insert into execution_results (execution_id, workspace_id, kind, title, position, payload)
    select id, ${workspaceId}, 'scores', 'Scores', 0, jsonb_build_object('metrics', jsonb_build_array(
      jsonb_build_object('key', 'average_score', 'label', 'Average SEO score', 'value', 40 + n % 50, 'scale', jsonb_build_object('min', 0, 'max', 100), 'isHigherBetter', true, 'meaning', 'Higher is better.'),
      jsonb_build_object('key', 'items_below_50', 'label', 'Items scoring under 50', 'value', n % 40, 'scale', jsonb_build_object('min', 0, 'max', 100), 'isHigherBetter', false, 'meaning', 'Lower is better.')))
    from bench_runs where agent_id <> 'product-description-writer' and status <> 'failed'`;
  await sql`
    insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, score)
    select r.id, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g, 'processed', (g * 37 + r.n) % 100
    from bench_runs r, generate_series(1, 100) g`;
  await sql`
    insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, after_value, priority, rationale, status)
    select r.id, ${workspaceId}, 'page', 'page-' || g, 'Bench page ' || g, 'title', 'A better title',
      ((array['high', 'medium', 'low'])[g % 3 + 1])::priority, 'Clearer', (case when g % 4 = 0 then 'applied' else 'pending' end)::recommendation_status
    from bench_runs r, generate_series(1, 40) g`;
  await sql`drop table bench_runs`;

  const comparedIds: string[] = [];
  if (withCompared) {
    // Five weekly audits by the member: each sees items shifted by 50 (so some are new), scores drift up.
    for (let k = 0; k < 5; k++) comparedIds.push(randomUUID());
    await sql`
      create temp table bench_compared as
      select id, k - 1 as k, now() - (5 - k) * interval '7 days' as created_at from unnest(${comparedIds}::uuid[]) with ordinality as c(id, k)`;
    await sql`
      insert into executions (id, workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, triggered_by, created_at, started_at, finished_at, preview)
      select id, ${workspaceId}, 'seo-audit', '1.4.0', 'completed',
        jsonb_build_object('includePages', true, 'includeProducts', true, 'titleMaxLength', 60 + k % 2 * 10, 'metaMinLength', 70, 'metaMaxLength', 160, 'scope', jsonb_build_object('mode', 'all', 'maxItems', ${comparedItems}::int)),
        jsonb_build_object('mode', 'all', 'maxItems', ${comparedItems}::int), ${comparedItems}::int, ${comparedItems}::int, ${memberId}, created_at, created_at, created_at + interval '20 min', 'Avg SEO score ' || (55 + k * 3)
      from bench_compared`;
    await sql`
      insert into execution_results (execution_id, workspace_id, kind, title, position, payload)
      select id, ${workspaceId}, 'scores', 'SEO score', 0, jsonb_build_object('metrics', jsonb_build_array(
        jsonb_build_object('key', 'average_score', 'label', 'Average SEO score', 'value', 55 + k * 3, 'scale', jsonb_build_object('min', 0, 'max', 100), 'isHigherBetter', true, 'meaning', 'Higher is better.'),
        jsonb_build_object('key', 'items_below_50', 'label', 'Items scoring under 50', 'value', 900 - k * 60, 'scale', jsonb_build_object('min', 0, 'max', ${comparedItems}::int), 'isHigherBetter', false, 'meaning', 'Lower is better.')))
      from bench_compared`;
    await sql`
      insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, score)
      select c.id, ${workspaceId}, case when g % 3 = 0 then 'page' else 'product' end, 'item-' || (g + c.k * 50), 'Bench item ' || (g + c.k * 50),
        (case when g % 97 = 0 then 'failed' else 'processed' end)::item_outcome,
        case when g % 97 <> 0 then least(100, ((g + c.k * 50) * 37 % 100) + ((g * 13 + c.k * 29) % 21) - 8) end
      from bench_compared c, generate_series(1, ${comparedItems}::int) g`;
    // About 1.5 recommendations per item; item g gets none once its run's index passes g % 5 (so items resolve).
    await sql`
      insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, after_value, priority, rationale, status)
      select c.id, ${workspaceId}, 'page', 'item-' || (g + c.k * 50), 'Bench item ' || (g + c.k * 50), f.field, 'A better ' || f.field,
        ((array['high', 'medium', 'low'])[(g + f.n) % 3 + 1])::priority, 'Clearer', (case when (g + c.k) % 5 = 0 then 'applied' else 'pending' end)::recommendation_status
      from bench_compared c, generate_series(1, ${comparedItems}::int) g, (values (1, 'title'), (2, 'meta_description')) f(n, field)
      where (f.n = 1 or g % 2 = 0) and c.k <= (g + c.k * 50) % 5`;
    await sql`drop table bench_compared`;
  }
  return { admin: { userId: adminId, workspaceId, role: "admin" }, member: { userId: memberId, workspaceId, role: "member" }, comparedIds };
}

const measure = (sql: postgres.Sql, name: string, run: () => Promise<unknown>, isExplained = false) =>
  measureWithPlans(sql, queries.capture, name, run, { warmups, runs, isExplained });

async function main() {
  const url = process.env.BENCH_COMPARE_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_compare";
  const { direct: sql, finish } = await openBenchDatabase(url, { keep: process.env.BENCH_COMPARE_KEEP === "1", logger: queries.logger });
  try {
    const seededAt = performance.now();
    const { admin, member, comparedIds } = await seedWorkspace(sql, "bench-compare", otherRuns, true);
    await seedWorkspace(sql, "bench-compare-other", otherRuns / 2, false);
    await sql.unsafe("vacuum analyze");
    const [counts] = await sql<{ executions: number; items: number; recommendations: number }[]>`
      select (select count(*)::int from executions) as executions, (select count(*)::int from execution_items) as items, (select count(*)::int from recommendations) as recommendations`;
    console.log(
      `Seeded ${counts!.executions.toLocaleString("en")} runs, ${counts!.items.toLocaleString("en")} items and ${counts!.recommendations.toLocaleString("en")} recommendations ` +
        `(the 5 compared SEO audits: ${comparedItems.toLocaleString("en")} items each) in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`,
    );

    const check = await compareExecutions(admin, { ids: comparedIds, periodDays: 90 });
    if (!check.ok) throw new Error(`The bench comparison was refused: ${check.message}`);
    const { items, trend, measures } = check.comparison;
    console.log(
      `Comparison: ${measures.length} metrics; items improved ${items?.improved.total}, regressed ${items?.regressed.total}, new ${items?.added.total}, resolved ${items?.resolved.total}; ` +
        `trend ${trend.runCount} runs${trend.isCapped ? " (capped)" : ""}`,
    );

    const cases: [string, () => Promise<unknown>, boolean][] = [
      ["5 runs × 2,000 items, admin, 90 days", () => compareExecutions(admin, { ids: comparedIds, periodDays: 90 }), true],
      ["5 runs × 2,000 items, member, 90 days", () => compareExecutions(member, { ids: comparedIds, periodDays: 90 }), true],
      ["5 runs × 2,000 items, admin, 365 days", () => compareExecutions(admin, { ids: comparedIds, periodDays: 365 }), false],
      ["2 runs × 2,000 items, admin, 90 days", () => compareExecutions(admin, { ids: comparedIds.slice(3), periodDays: 90 }), false],
    ];
    const results: Measured[] = [];
    for (const [label, run, isExplained] of cases) results.push(await measure(sql, label, run, isExplained));

    const pad = Math.max(...results.map((r) => r.name.length)) + 2;
    console.log(`\ncompareExecutions, ${runs} runs each after ${warmups} warm-ups\n${"case".padEnd(pad)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}  p95 ≤ ${targetMs} ms`);
    for (const r of results) console.log(`${r.name.padEnd(pad)}${r.p50.toFixed(1).padStart(8)}${r.p95.toFixed(1).padStart(8)}  ${r.p95 <= targetMs ? "PASS" : "MISS"}`);
    console.log("\nqueries (EXPLAIN ANALYZE: table, time, plan nodes):");
    for (const r of results.filter((m) => m.plans.length)) {
      console.log(`  ${r.name}`);
      for (const plan of r.plans) console.log(`    ${plan}`);
    }
    if (results.some((r) => r.p95 > targetMs)) process.exitCode = 1;
  } finally {
    await finish();
  }
}

runBench(main);
