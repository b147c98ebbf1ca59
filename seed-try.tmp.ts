import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
async function main() {

const kind = process.argv[2] ?? "pglite";
const o = kind === "pglite"
  ? await openDatabase({ kind: "pglite", dataDir: "memory://" })
  : await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/" + (process.env.SCRATCH_DB ?? "seed_scratch_h1") });
await o.migrate();
const t0 = Date.now();
const s = await seedDemo(o.db, { now: new Date("2026-11-25T12:00:00Z") });
console.log("seed ms", Date.now() - t0);
console.log(s.counts, s.logins);
const rows = (r: unknown) => ((r as { rows?: unknown[] }).rows ?? r) as Record<string, unknown>[];
const q = async (label: string, text: string) => { console.log(label, JSON.stringify(rows(await o.db.execute(sql.raw(text))))); };
await q("statuses", `select w.slug, e.status, count(*) from executions e join workspaces w on w.id=e.workspace_id group by 1,2 order by 1,2`);
await q("agents", `select w.slug, e.agent_id, count(*) from executions e join workspaces w on w.id=e.workspace_id group by 1,2 order by 1,2`);
await q("by user", `select w.slug, u.email, count(*) from executions e join workspaces w on w.id=e.workspace_id left join users u on u.id=e.triggered_by group by 1,2 order by 1,2`);
await q("wf/rerun", `select count(*) filter (where workflow_id is not null) wf, count(*) filter (where rerun_of is not null) rr from executions`);
await q("ledger running", `with l as (select workspace_id, id, balance_after, sum(amount) over (partition by workspace_id order by at, id) s from credit_ledger) select count(*) filter (where s<>balance_after) bad, min(balance_after) lowest from l`);
await q("ledger id order", `with l as (select workspace_id, id, at, lag(at) over (partition by workspace_id order by id) pat from credit_ledger) select count(*) from l where pat > at`);
await q("balance", `select a.workspace_id, a.balance, (select sum(amount) from credit_ledger l where l.workspace_id=a.workspace_id) from credit_accounts a`);
await q("grants", `select workspace_id, idempotency_key, amount, at from credit_ledger where kind='grant' order by at`);
await q("terminal bad", `select count(*) from executions where status not in ('queued','running') and credits_charged+credits_refunded<>credits_reserved`);
await q("items vs total", `select count(*) from executions e where status not in ('queued','running') and items_total <> (select count(*) from execution_items i where i.execution_id=e.id) and status='completed'`);
await q("products quality", `select count(*) total, count(*) filter (where description='') missing, count(*) filter (where description<>'' and array_length(regexp_split_to_array(description,'\\s+'),1)<20) thin, count(*) filter (where length(title)>70) longtitle, count(*) filter (where meta_description is null) nometa from store_products p join workspaces w on w.id=p.workspace_id where w.slug='acme'`);
await q("dup titles", `select count(*) from store_products p join workspaces w on w.id=p.workspace_id where w.slug='acme' and (select count(*) from store_products q where q.workspace_id=p.workspace_id and q.title=p.title)>1`);
await q("audit", `select action, count(*) from audit_log group by 1`);
await q("recs", `select status, count(*) n, count(applied_at) applied from recommendations group by 1`);
await q("orders/day", `select w.slug, count(*)/456.0 from store_orders o join workspaces w on w.id=o.workspace_id group by 1`);
await q("pages", `select w.slug, count(*) from store_pages o join workspaces w on w.id=o.workspace_id group by 1`);
await q("maya globex", `select count(*) from executions e join workspaces w on w.id=e.workspace_id join users u on u.id=e.triggered_by where w.slug='globex' and u.email='maya@acme.test'`);
await q("shares", `select kind, permission, message, token_hash from shares`);
await q("running", `select agent_id, status, items_total, items_processed, credits_reserved, heartbeat_at, started_at from executions where status in ('running','queued')`);
await q("workflows", `select name, schedule, last_run_at, next_run_at, is_enabled from workflows`);
await q("max per exec", `select max(c) from (select count(*) c from execution_items group by execution_id) x`);
await q("logs per exec", `select min(c), max(c) from (select count(*) c from execution_logs group by execution_id) x`);
await q("recs/actions per exec", `select (select max(c) from (select count(*) c from recommendations group by execution_id) x) recs, (select max(c) from (select count(*) c from action_items group by execution_id) y) acts`);
await o.close();

}
main().catch((e) => { console.error(e); process.exit(1); });
