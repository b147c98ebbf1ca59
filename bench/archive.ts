/**
 * `npm run bench:archive`: nightly archival (lib/retention/archive.ts) of 100,000 eligible
 * executions (BENCH_ARCHIVE_ROWS) on PostgreSQL (BENCH_ARCHIVE_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/runlog_bench_archive, created and dropped;
 * BENCH_ARCHIVE_KEEP=1 keeps it).
 *
 * Each eligible run has 3 items, 4 log lines, a result, 2 recommendations and an action item;
 * 20,000 younger runs beside them must stay. While archival runs, a probe writes to a live
 * execution and reads a history page every 50 ms, to show the database is not blocked.
 * Prints the total time, the longest single transaction (target ≤ 5 s) and the probe's worst
 * latency, then checks the result: all eligible archived, their heavy rows gone, the young
 * runs untouched, the credit ledger unchanged, and a second run archiving nothing.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { archiveExpiredExecutions } from "@/lib/retention/archive";
import { openBenchDatabase, runBench } from "./harness";

const eligible = Number(process.env.BENCH_ARCHIVE_ROWS ?? 100_000);
const young = 20_000;
const url = process.env.BENCH_ARCHIVE_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_archive";
const maxTransactionMs = 5_000;

async function main() {
  const { finish } = await openBenchDatabase(url, { keep: process.env.BENCH_ARCHIVE_KEEP === "1", maxConnections: 4 });
  try {
    await run();
  } finally {
    await finish();
  }
}

async function scalar(query: ReturnType<typeof sql>): Promise<number> {
  const db = await getDb();
  const result = (await db.execute(query)) as unknown as { n: string | number }[] | { rows: { n: string | number }[] };
  const rows = Array.isArray(result) ? result : result.rows;
  return Number(rows[0]!.n);
}

async function run() {
  const db = await getDb();
  const workspaceId = randomUUID();
  const userId = randomUUID();
  const seedStarted = performance.now();
  await db.execute(sql`insert into workspaces (id, name, slug) values (${workspaceId}, 'Bench', 'bench')`);
  await db.execute(sql`insert into users (id, email, name) values (${userId}, 'bench@example.test', 'Bench')`);
  await db.execute(sql`insert into memberships (workspace_id, user_id, role) values (${workspaceId}, ${userId}, 'admin')`);
  await db.execute(sql`insert into credit_accounts (workspace_id, balance) values (${workspaceId}, 1000000)`);
  // Old runs: completed/partial 13–24 months ago, failed/canceled 4–12 months ago; young ones this month.
  await db.execute(sql`
    insert into executions (workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, credits_reserved, credits_charged, triggered_by, created_at, started_at, finished_at, preview)
    select ${workspaceId}, (array['seo-audit','performance-audit','analytics-review'])[1 + g % 3], '1.0.0',
      (array['completed','partial','failed','canceled'])[1 + g % 4]::execution_status, '{"scope":{"mode":"all","maxItems":3}}'::jsonb, '{"mode":"all","maxItems":3}'::jsonb,
      3, 3, 11, 11, ${userId},
      now() - case when g % 4 < 2 then interval '400 days' else interval '120 days' end - (g % 200) * interval '1 day' - g * interval '1 second',
      now() - interval '400 days', now() - interval '400 days', 'Bench run ' || g
    from generate_series(1, ${eligible}) g`);
  await db.execute(sql`
    insert into executions (workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, credits_reserved, credits_charged, triggered_by, created_at, preview)
    select ${workspaceId}, 'seo-audit', '1.0.0', (array['completed','failed'])[1 + g % 2]::execution_status, '{}'::jsonb, '{"mode":"all","maxItems":3}'::jsonb,
      3, 3, 11, 11, ${userId}, now() - (g % 30) * interval '1 day', 'Young run ' || g
    from generate_series(1, ${young}) g`);
  await db.execute(sql`
    insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, score, data)
    select e.id, e.workspace_id, 'page', 'page:' || i, 'Page ' || i, 'processed', 50 + i, '{"issues":["title too short"]}'::jsonb
    from executions e cross join generate_series(1, 3) i`);
  await db.execute(sql`
    insert into execution_logs (execution_id, workspace_id, seq, step, message, data)
    select e.id, e.workspace_id, s, (array['start','batch 1/1','finish','finish'])[s], 'Log line ' || s || ' of a benchmark run', '{"items":3}'::jsonb
    from executions e cross join generate_series(1, 4) s`);
  await db.execute(sql`
    insert into execution_results (execution_id, workspace_id, kind, title, payload)
    select e.id, e.workspace_id, 'report', 'Report', '{"summary":"Three pages checked","scores":[50,51,52]}'::jsonb from executions e`);
  await db.execute(sql`
    insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, before_value, after_value, priority, rationale)
    select e.id, e.workspace_id, 'page', 'page:' || r, 'Page ' || r, 'title', 'Old title', 'A better, longer title for page ' || r, 'medium', 'Titles should be 30–60 characters.'
    from executions e cross join generate_series(1, 2) r`);
  await db.execute(sql`
    insert into action_items (execution_id, workspace_id, position, priority, title, detail)
    select e.id, e.workspace_id, 0, 'low', 'Compress hero images', 'Three images are over 500 KB.' from executions e`);
  await db.execute(sql`
    insert into credit_ledger (workspace_id, kind, amount, balance_after, execution_id, idempotency_key)
    select e.workspace_id, 'reserve', -11, 1000000, e.id, 'reserve:' || e.id from executions e`);
  await db.execute(sql`analyze`);
  const ledgerBefore = await scalar(sql`select count(*) + coalesce(sum(amount), 0) as n from credit_ledger`);
  console.log(`Seeded ${eligible.toLocaleString("en-US")} eligible and ${young.toLocaleString("en-US")} young executions with their rows in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s.`);

  // The probe: a live write and a history read while archival runs.
  const [live] = (await db.execute(sql`select id from executions where created_at > now() - interval '1 day' limit 1`)) as unknown as { id: string }[];
  let isProbing = true;
  let probeWorstMs = 0;
  let probes = 0;
  const probe = (async () => {
    while (isProbing) {
      const started = performance.now();
      await db.execute(sql`update executions set heartbeat_at = now() where id = ${live!.id}`);
      await db.execute(sql`select id from executions where workspace_id = ${workspaceId} and archived_at is null order by created_at desc, id desc limit 50`);
      probeWorstMs = Math.max(probeWorstMs, performance.now() - started);
      probes++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const archive = await archiveExpiredExecutions();
  isProbing = false;
  await probe;
  const again = await archiveExpiredExecutions();

  const archivedCount = await scalar(sql`select count(*) as n from executions where archived_at is not null`);
  const archiveRows = await scalar(sql`select count(*) as n from execution_archives`);
  const leftoverHeavy = await scalar(sql`select (select count(*) from execution_items i join executions e on e.id = i.execution_id where e.archived_at is not null)
    + (select count(*) from execution_logs l join executions e on e.id = l.execution_id where e.archived_at is not null) as n`);
  const youngKept = await scalar(sql`select count(*) as n from executions where archived_at is null`);
  const ledgerAfter = await scalar(sql`select count(*) + coalesce(sum(amount), 0) as n from credit_ledger`);

  const ok = archive.archived === eligible && archivedCount === eligible && archiveRows === eligible && leftoverHeavy === 0 && youngKept === young && ledgerAfter === ledgerBefore && again.archived === 0;
  console.log("");
  console.log(`| Case | Figure |`);
  console.log(`| --- | --- |`);
  console.log(`| Executions archived | ${archive.archived.toLocaleString("en-US")} in ${archive.batches.toLocaleString("en-US")} transactions |`);
  console.log(`| Total time | ${(archive.totalMs / 1000).toFixed(1)} s (${Math.round(archive.archived / (archive.totalMs / 1000)).toLocaleString("en-US")} executions/s) |`);
  console.log(`| Longest single transaction | ${Math.round(archive.longestBatchMs)} ms (target ≤ ${maxTransactionMs} ms) |`);
  console.log(`| Worst probe (a write and a history read) during archival | ${Math.round(probeWorstMs)} ms over ${probes} probes |`);
  console.log(`| Second run | ${again.archived} archived in ${Math.round(again.totalMs)} ms |`);
  console.log("");
  console.log(ok && archive.longestBatchMs <= maxTransactionMs ? "PASS: all eligible archived, young runs and the ledger untouched, bounded transactions." : "FAIL: see the figures above.");
  if (!ok) console.log({ archivedCount, archiveRows, leftoverHeavy, youngKept, ledgerBefore, ledgerAfter, again });
  if (!ok || archive.longestBatchMs > maxTransactionMs) process.exitCode = 1;
}

runBench(main);
