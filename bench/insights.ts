/**
 * `npm run bench:insights` (first half; bench/compare.ts is the second): the Credits page's
 * queries over the list benchmark's history on PostgreSQL (BENCH_INSIGHTS_DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/runlog_bench_insights, recreated and dropped).
 * Seeds the 1.9 million runs of bench/list-seed.ts, a ledger row for every reservation and
 * every refund, monthly grants, and the usage rollup rebuilt from that ledger by the app's
 * own function; then times each query as the page calls it. Target: p95 ≤ 100 ms each.
 *
 * The list history has no recommendation rows, so the rollup's recommendation and apply
 * counts are filled in proportion to runs (they do not change what the queries read).
 * BENCH_INSIGHTS_KEEP=1 keeps the database; BENCH_INSIGHTS_REUSE=1 measures a kept one.
 */
import postgres from "postgres";
import type { Ctx } from "@/lib/auth/context";
import { hashPassword } from "@/lib/auth/passwords";
import { usageByDay, usageByMember, valueByAgent } from "@/lib/credits/insights";
import { listLedger, noLedgerFilter } from "@/lib/credits/ledger-list";
import { openBenchDatabase, percentile, runBench, sampleCalls } from "./harness";
import { middleMonth, seedListHistory, type BenchPerson } from "./list-seed";

const warmups = 10;
const runs = Number(process.env.BENCH_INSIGHTS_RUNS ?? 50);
const targetMs = 100;

async function seedLedger(direct: postgres.Sql): Promise<void> {
  await direct.unsafe(`
    insert into credit_ledger (workspace_id, kind, amount, balance_after, execution_id, agent_id, user_id, idempotency_key, at)
    select e.workspace_id, 'reserve', -e.credits_reserved, 0, e.id, e.agent_id, coalesce(e.triggered_by, w.created_by), 'reserve:' || e.id, e.created_at
    from executions e left join workflows w on w.id = e.workflow_id`);
  await direct.unsafe(`
    insert into credit_ledger (workspace_id, kind, amount, balance_after, execution_id, agent_id, user_id, idempotency_key, at)
    select e.workspace_id, 'refund', e.credits_refunded, 0, e.id, e.agent_id, coalesce(e.triggered_by, w.created_by), 'refund:' || e.id, coalesce(e.finished_at, e.created_at)
    from executions e left join workflows w on w.id = e.workflow_id where e.credits_refunded > 0`);
  await direct.unsafe(`
    insert into credit_ledger (workspace_id, kind, amount, balance_after, idempotency_key, at)
    select s.id, 'grant', 1000000, 0, 'grant:' || m, now() - make_interval(months => m)
    from workspaces s cross join generate_series(0, 15) m`);
  await direct.unsafe(`select runlog_rebuild_usage_daily(id) from workspaces`);
  await direct.unsafe(`update usage_daily set recommendations = runs * 12, applied = (runs * 12 * (0.05 + 0.3 * ((hashtext(agent_id || day::text) & 1023) / 1023.0)))::int where agent_id <> 'analytics-review'`);
  await direct.unsafe(`vacuum analyze credit_ledger`);
  await direct.unsafe(`vacuum analyze usage_daily`);
}

async function people(direct: postgres.Sql): Promise<{ admin: BenchPerson; member: BenchPerson }> {
  const rows = await direct<BenchPerson[]>`
    select u.id as "userId", m.workspace_id as "workspaceId", u.email, m.role
    from users u join memberships m on m.user_id = u.id where u.email in ('admin@bench.test', 'member@bench.test')`;
  return { admin: rows.find((p) => p.role === "admin")!, member: rows.find((p) => p.role === "member")! };
}

async function main() {
  const url = process.env.BENCH_INSIGHTS_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_insights";
  const isReuse = process.env.BENCH_INSIGHTS_REUSE === "1";
  const { direct, finish } = await openBenchDatabase(url, { reuse: isReuse, keep: process.env.BENCH_INSIGHTS_KEEP === "1" });
  try {
    if (!isReuse) {
      const started = performance.now();
      await seedListHistory(direct, new Date(), await hashPassword("bench"));
      await seedLedger(direct);
      const [counts] = await direct<{ runs: number; ledger: number; rollup: number }[]>`
        select (select count(*)::int from executions) as runs, (select count(*)::int from credit_ledger) as ledger, (select count(*)::int from usage_daily) as rollup`;
      console.log(`Seeded ${counts!.runs.toLocaleString("en")} runs, ${counts!.ledger.toLocaleString("en")} ledger rows, ${counts!.rollup.toLocaleString("en")} rollup rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const { admin, member } = await people(direct);
    const adminCtx: Ctx = { userId: admin.userId, workspaceId: admin.workspaceId, role: "admin" };
    const memberCtx: Ctx = { userId: member.userId, workspaceId: member.workspaceId, role: "member" };
    const [{ n: bigRuns } = { n: 0 }] = await direct<{ n: number }[]>`select count(*)::int as n from executions where workspace_id = ${admin.workspaceId}`;
    console.log(`Measuring the workspace with ${bigRuns.toLocaleString("en")} runs, ${runs} calls per case after ${warmups} warm-ups.\n`);

    const cases: { name: string; run: () => Promise<unknown> }[] = [
      { name: "usage by agent per day, 90 days, admin", run: () => usageByDay(adminCtx, 90) },
      { name: "per-member breakdown, 90 days", run: () => usageByMember(adminCtx, 90) },
      { name: "value per agent, 90 days, admin", run: () => valueByAgent(adminCtx, 90) },
      { name: "value per agent, 365 days, admin", run: () => valueByAgent(adminCtx, 365) },
      { name: "usage by day, 90 days, member", run: () => usageByDay(memberCtx, 90) },
      { name: "ledger, first page, admin", run: () => listLedger(adminCtx, { filter: noLedgerFilter, after: null }) },
      { name: "ledger, one member's SEO audits", run: () => listLedger(adminCtx, { filter: { ...noLedgerFilter, member: member.userId, agent: "seo-audit" }, after: null }) },
      { name: "ledger, first page, member", run: () => listLedger(memberCtx, { filter: noLedgerFilter, after: null }) },
      { name: "ledger, one UTC month, admin", run: () => listLedger(adminCtx, { filter: { ...noLedgerFilter, ...middleMonth(new Date()) }, after: null }) },
    ];
    const pad = Math.max(...cases.map((c) => c.name.length)) + 2;
    console.log(`${"case".padEnd(pad)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}  p95 ≤ ${targetMs} ms`);
    for (const benchCase of cases) {
      const samples = await sampleCalls(benchCase.run, warmups, runs);
      const p95 = percentile(samples, 95);
      console.log(`${benchCase.name.padEnd(pad)}${percentile(samples, 50).toFixed(2).padStart(8)}${p95.toFixed(2).padStart(8)}  ${p95 <= targetMs ? "PASS" : "MISS"}`);
    }
  } finally {
    await finish();
  }
}

runBench(main);
