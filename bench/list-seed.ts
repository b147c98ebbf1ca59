/**
 * The history that `bench/list.ts` measures, written by PostgreSQL itself with set
 * operations (generate_series, INSERT … SELECT) so 1.9 million runs take seconds, not
 * round trips. One big workspace (1,000,000 runs, 20 people, 12 workflows) and nine
 * ordinary ones (100,000 runs, 8 people, 5 workflows). Runs spread over 15 months, more of
 * them recent; agents, statuses and people are uneven, as in real use. Deterministic: the
 * same seed gives the same rows.
 */
import type postgres from "postgres";
import { agentCatalog, agentIds, type AgentId } from "@/lib/agents/catalog";
import { failureStories } from "@/lib/executions/failure-stories";

/** A whole calendar month in the middle of the 15 months of history, as UTC days (both inclusive). */
export function middleMonth(now: Date): { from: string; to: string } {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 7, 1))), to: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 6, 0))) };
}

export type BenchPerson = { userId: string; workspaceId: string; email: string; role: "admin" | "member" };
export type BenchHistory = { admin: BenchPerson; member: BenchPerson; workspaceRuns: number[] };

const bigWorkspaceRuns = 1_000_000;
const smallWorkspaceRuns = 100_000;
const smallWorkspaceCount = 9;
const historyDays = 456; // 15 months

/** How often each agent runs, and the size of a typical scope. */
const agentMix: Record<AgentId, { weight: number; minItems: number; maxItems: number; settings: Record<string, string | number | boolean> }> = {
  "seo-audit": { weight: 0.4, minItems: 20, maxItems: 1500, settings: { includePages: true, includeProducts: true, titleMaxLength: 60, metaMinLength: 70, metaMaxLength: 160 } },
  "product-description-writer": { weight: 0.27, minItems: 5, maxItems: 200, settings: { tone: "friendly", onlyWeakDescriptions: true } },
  "analytics-review": { weight: 0.21, minItems: 7, maxItems: 30, settings: { compareWithPrevious: true } },
  "performance-audit": { weight: 0.12, minItems: 10, maxItems: 400, settings: { device: "mobile" } },
};

const failureMix = { connection_lost: 35, rate_limited: 20, timeout: 20, insufficient_data: 15, invalid_settings: 10 } as const;

/** Cumulative [lo, hi) slices of [0, 1) for weighted picks in SQL. */
function slices<T extends object>(entries: [T, number][]): (T & { lo: number; hi: number })[] {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let at = 0;
  return entries.map(([row, weight], n) => {
    const lo = at;
    at = n === entries.length - 1 ? 1.000001 : at + weight / total;
    return { ...row, lo, hi: at };
  });
}

/**
 * Seeds the history on a migrated, empty database through one connection (`sql`, max 1:
 * the temporary lookup tables and the random seed live in its session). The bench admin
 * signs in with `adminPasswordHash`.
 */
export async function seedListHistory(sql: postgres.Sql, now: Date, adminPasswordHash: string): Promise<BenchHistory> {
  const agents = slices(agentIds.map((id) => [{ id, version: agentCatalog[id].version, base: agentCatalog[id].cost.base, perItem: agentCatalog[id].cost.perItem, minItems: agentMix[id].minItems, maxItems: agentMix[id].maxItems, settings: agentMix[id].settings }, agentMix[id].weight]));
  const failures = slices(Object.entries(failureMix).map(([code, weight]) => [{ code, message: failureStories[code as keyof typeof failureMix].message, hint: failureStories[code as keyof typeof failureMix].hint }, weight]));
  const at = now.toISOString();

  await sql.unsafe(`set work_mem = '256MB'`);
  await sql.unsafe(`select setseed(0.42)`);
  // A version 4 UUID made from a seed: deterministic, yet valid where the app checks ids with zod.
  await sql.unsafe(`create function pg_temp.bench_uuid(seed text) returns uuid language sql immutable as $$
    select (substr(md5(seed), 1, 12) || '4' || substr(md5(seed), 14, 3) || substr('89ab', ('x' || substr(md5(seed), 17, 1))::bit(4)::int % 4 + 1, 1) || substr(md5(seed), 18))::uuid $$`);

  // Lookups the big INSERT joins against; temporary, gone with the session.
  await sql.unsafe(`create temp table bench_agents as select * from jsonb_to_recordset($1::jsonb)
    as a(id text, version text, base int, "perItem" int, "minItems" int, "maxItems" int, settings jsonb, lo float8, hi float8)`, [sql.json(agents)]);
  await sql.unsafe(`create temp table bench_failures as select * from jsonb_to_recordset($1::jsonb)
    as f(code text, message text, hint text, lo float8, hi float8)`, [sql.json(failures)]);
  await sql.unsafe(`create temp table bench_workspaces as
    select w, pg_temp.bench_uuid('bench-workspace:' || w) as id,
      case when w = 0 then $1::int else $2::int end as runs,
      case when w = 0 then 20 else 8 end as user_count,
      case when w = 0 then 3 else 2 end as admin_count,
      case when w = 0 then 12 else 5 end as workflow_count
    from generate_series(0, $3::int) w`, [bigWorkspaceRuns, smallWorkspaceRuns, smallWorkspaceCount]);
  // Person 0 of workspace 0 is the bench admin; person 6 there, a member, the bench member.
  await sql.unsafe(`create temp table bench_users as
    select s.w, s.id as workspace_id, u, pg_temp.bench_uuid('bench-user:' || s.w || ':' || u) as id,
      case when s.w = 0 and u = 0 then 'admin@bench.test' when s.w = 0 and u = 6 then 'member@bench.test' else format('person%s@w%s.bench.test', u, s.w) end as email,
      case when u < s.admin_count then 'admin' else 'member' end as role
    from bench_workspaces s cross join lateral generate_series(0, s.user_count - 1) u`);
  await sql.unsafe(`create temp table bench_workflows as
    select s.id as workspace_id, k, pg_temp.bench_uuid('bench-workflow:' || s.w || ':' || k) as id,
      (select a.id from bench_agents a order by a.lo offset k % 4 limit 1) as agent_id,
      -- people after the admins create them, two each: members see runs of their own workflows
      (select bu.id from bench_users bu where bu.workspace_id = s.id and bu.u = (s.admin_count + k / 2) % s.user_count) as created_by
    from bench_workspaces s cross join lateral generate_series(0, s.workflow_count - 1) k`);

  await sql.unsafe(`insert into workspaces (id, name, slug, created_at)
    select id, case when w = 0 then 'Bench (1M runs)' else 'Bench ' || w end, 'bench-' || w, $1::timestamptz - interval '${historyDays + 30} days' from bench_workspaces`, [at]);
  await sql.unsafe(`insert into users (id, email, name, password_hash, created_at)
    select id, email, format('Person %s of %s', u, w), case when w = 0 and u = 0 then $1 end, $2::timestamptz - interval '${historyDays + 30} days' from bench_users`, [adminPasswordHash, at]);
  await sql.unsafe(`insert into memberships (workspace_id, user_id, role, created_at)
    select workspace_id, id, role::member_role, $1::timestamptz - interval '${historyDays + 30} days' from bench_users`, [at]);
  await sql.unsafe(`insert into workflows (id, workspace_id, name, agent_id, settings, schedule, created_by, next_run_at, created_at)
    select wf.id, wf.workspace_id, format('%s every Monday #%s', a.id, wf.k), wf.agent_id, a.settings, '0 6 * * 1', wf.created_by,
      $1::timestamptz + interval '3 days', $1::timestamptz - interval '${historyDays + 10} days'
    from bench_workflows wf join bench_agents a on a.id = wf.agent_id`, [at]);

  // A bulk load builds the secondary indexes once afterwards, from the migrated definitions,
  // rather than updating them row by row (the primary key stays: other tables refer to it).
  const indexes = await sql.unsafe<{ name: string; definition: string }[]>(`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'executions'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`);
  for (const { name } of indexes) await sql.unsafe(`drop index "${name}"`);

  // Every run: the draws first (one random() each, in a fixed order), then what follows from them.
  await sql.unsafe(`
    insert into executions (id, workspace_id, agent_id, agent_version, status, settings, scope, items_total, items_processed, items_failed,
      credits_reserved, credits_charged, credits_refunded, error_code, error_message, error_hint, preview, triggered_by, workflow_id,
      batches_done, created_at, started_at, finished_at)
    with draws as (
      select s.w, s.id as workspace_id, s.user_count, s.workflow_count, n,
        random() as r_age, random() as r_agent, random() as r_status, random() as r_user, random() as r_wf,
        random() as r_size, random() as r_reach, random() as r_detail, random() as r_time
      from bench_workspaces s cross join lateral generate_series(1, s.runs) n
    ), chosen as (
      select d.*, pg_temp.bench_uuid('bench-run:' || d.w || ':' || d.n) as id,
        -- age^(1/1.4): the newest month holds about three times the runs of the oldest
        $1::timestamptz - (${historyDays} * power(d.r_age, 1.4)) * interval '1 day' as created_at,
        wf.id as workflow_id, a.id as agent_id, a.version as agent_version, a.base, a."perItem" as per_item, a.settings,
        case when wf.id is null then bu.id end as triggered_by,
        case when d.r_status < 0.79 then 'completed' when d.r_status < 0.87 then 'failed' when d.r_status < 0.94 then 'partial' else 'canceled' end as status,
        a."minItems" + floor(power(d.r_size, 2) * (a."maxItems" - a."minItems" + 1))::int as items_total
      from draws d
      left join bench_workflows wf on d.r_wf < 0.15 and wf.workspace_id = d.workspace_id and wf.k = floor(d.r_wf / 0.15 * d.workflow_count)::int
      join bench_agents a on a.id = coalesce(wf.agent_id, (select b.id from bench_agents b where d.r_agent >= b.lo and d.r_agent < b.hi))
      -- a few people start most runs: person k's share falls off like a power law
      join bench_users bu on bu.workspace_id = d.workspace_id and bu.u = floor(d.user_count * power(d.r_user, 1.8))::int
    ), reached as (
      select c.*,
        case c.status when 'failed' then floor(c.r_reach * c.items_total / 2)::int
          when 'canceled' then greatest(1, floor(c.r_reach * (c.items_total - 1))::int) else c.items_total end as reached,
        case when c.status = 'partial' then least(1 + floor(c.r_detail * 4)::int, greatest(1, c.items_total - 1)) else 0 end as items_failed,
        f.code as error_code, f.message as error_message, f.hint as error_hint,
        case when c.agent_id in ('seo-audit', 'product-description-writer') and c.r_detail < 0.3
          then jsonb_build_object('mode', 'collection', 'collection', (array['Jackets', 'Shoes', 'Accessories', 'Sale'])[1 + floor(c.r_detail / 0.3 * 4)::int], 'maxItems', c.items_total)
          else jsonb_build_object('mode', 'all', 'maxItems', c.items_total) end as scope,
        c.created_at + (0.8 + c.r_time * 5.2) * interval '1 second' as started_at,
        case when c.agent_id = 'analytics-review' then 0.15 + c.r_time * 0.2 else 0.4 + c.r_time * 1.8 end as seconds_per_item
      from chosen c
      left join bench_failures f on c.status = 'failed' and c.r_detail >= f.lo and c.r_detail < f.hi
    ), summed as (
      select r.*, r.reached - r.items_failed as processed, r.base + r.per_item * r.items_total as reserved,
        case when r.status = 'failed' then 0 else r.base + r.per_item * (r.reached - r.items_failed) end as charged
      from reached r
    )
    select id, workspace_id, agent_id, agent_version, status::execution_status,
      case when agent_id = 'analytics-review' then settings || jsonb_build_object('periodDays', items_total) else settings end || jsonb_build_object('scope', scope),
      scope, items_total, processed, items_failed, reserved, charged, reserved - charged,
      error_code::execution_error_code, error_message, error_hint,
      case status
        when 'failed' then 'Failed: ' || lower(rtrim(split_part(error_message, ':', 1), '.'))
        when 'canceled' then format('Canceled after %s of %s items', reached, items_total)
        else case agent_id
          when 'seo-audit' then format('Avg SEO score %s · %s recommendations', 55 + floor(r_detail * 40), floor(r_reach * processed * 0.6))
          when 'product-description-writer' then format('%s descriptions written', processed)
          when 'analytics-review' then format('Conversion %s%% (%s pts) · %s action items', round((1.5 + r_detail * 2.5)::numeric, 1), round((r_reach - 0.5)::numeric, 1), 1 + floor(r_time * 3))
          else format('Avg performance score %s · %s heavy images', 40 + floor(r_detail * 55), floor(r_reach * processed * 0.3))
        end || case when status = 'partial' then format(' · %s item%s failed', items_failed, case when items_failed = 1 then '' else 's' end) else '' end
      end,
      triggered_by, workflow_id, ceil(reached / 10.0)::int, created_at, started_at,
      started_at + (reached * seconds_per_item + 1.5 + r_time * 2) * interval '1 second'
    from summed
    order by created_at`, [at]);
  await sql.unsafe(`set maintenance_work_mem = '512MB'`);
  for (const { definition } of indexes) await sql.unsafe(definition);

  // A handful still going: the newest five runs of each workspace.
  await sql.unsafe(`
    with newest as (
      select id, row_number() over (partition by workspace_id order by created_at desc, id desc) as rank
      from executions where created_at > $1::timestamptz - interval '1 day'
    )
    update executions e set
      status = case when n.rank <= 3 then 'running' else 'queued' end::execution_status,
      started_at = case when n.rank <= 3 then e.started_at end, finished_at = null,
      heartbeat_at = case when n.rank <= 3 then $1::timestamptz - interval '4 seconds' end,
      items_processed = case when n.rank <= 3 then e.items_total / 2 else 0 end, items_failed = 0, batches_done = 0,
      credits_charged = 0, credits_refunded = 0, error_code = null, error_message = null, error_hint = null,
      preview = case when n.rank <= 3 then format('Processing: %s of %s items', e.items_total / 2, e.items_total) else 'Waiting to start' end
    from newest n where n.id = e.id and n.rank <= 5`, [at]);

  // About 0.6 % of runs shared: mostly with one colleague (some revoked, some expired), a few by link.
  await sql.unsafe(`
    insert into shares (workspace_id, execution_id, kind, grantee_user_id, permission, message, token_hash, expires_at, revoked_at, created_by, created_at)
    select e.workspace_id, e.id,
      case when e.r_kind < 0.15 then 'link' else 'member' end::share_kind,
      case when e.r_kind >= 0.15 then g.id end,
      case when e.r_kind >= 0.85 then 'apply' else 'view' end::share_permission,
      case when e.r_kind < 0.5 then 'Have a look at this one.' end,
      case when e.r_kind < 0.15 then encode(sha256(('bench-link:' || e.id)::bytea), 'hex') end,
      case when e.r_state < 0.1 then e.created_at + interval '7 days' when e.r_state < 0.2 then $1::timestamptz + interval '30 days' end,
      case when e.r_state >= 0.92 then least(e.created_at + interval '2 days', $1::timestamptz) end,
      coalesce(e.triggered_by, first_admin.id),
      least(e.created_at + interval '1 hour', $1::timestamptz)
    from (
      select e.id, e.workspace_id, e.triggered_by, e.created_at, random() as r_grantee, random() as r_kind, random() as r_state
      from executions e where random() < 0.006
    ) e
    join bench_workspaces s on s.id = e.workspace_id
    join bench_users first_admin on first_admin.workspace_id = e.workspace_id and first_admin.u = 0
    left join bench_users t on t.id = e.triggered_by
    join bench_users g on g.workspace_id = e.workspace_id and g.u = (coalesce(t.u, 0) + 1 + floor(e.r_grantee * (s.user_count - 1))::int) % s.user_count`, [at]);

  const [admin] = await sql.unsafe<BenchPerson[]>(`select id as "userId", workspace_id as "workspaceId", email, role from bench_users where email = 'admin@bench.test'`);
  const [member] = await sql.unsafe<BenchPerson[]>(`select id as "userId", workspace_id as "workspaceId", email, role from bench_users where email = 'member@bench.test'`);
  const runs = await sql.unsafe<{ runs: number }[]>(`select runs from bench_workspaces order by w`);
  // Steady state: autovacuum would have set the visibility map and statistics by now.
  await sql.unsafe(`vacuum (analyze) executions, shares, workflows, users, memberships, workspaces`);
  return { admin: admin!, member: member!, workspaceRuns: runs.map((r) => r.runs) };
}

/** The bench admin and member of a seeded (or kept) history. */
export async function benchPeople(sql: postgres.Sql): Promise<{ admin: BenchPerson; member: BenchPerson }> {
  const people = await sql<BenchPerson[]>`
    select u.id as "userId", m.workspace_id as "workspaceId", u.email, m.role
    from users u join memberships m on m.user_id = u.id where u.email in ('admin@bench.test', 'member@bench.test')`;
  const admin = people.find((p) => p.role === "admin");
  const member = people.find((p) => p.role === "member");
  if (!admin || !member) throw new Error("This database holds no bench history.");
  return { admin, member };
}
