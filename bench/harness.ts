/**
 * What the benchmark scripts share: a scratch PostgreSQL database made and dropped around a
 * run, timed calls with percentiles, and the SQL a call sends, captured so it can be EXPLAINed
 * exactly as sent.
 */
import postgres from "postgres";
import type { Logger } from "drizzle-orm";
import { closeDatabase, installDatabase, openDatabase, type OpenDatabase } from "@/db/client";

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Milliseconds per call of `run`, after `warmups` calls that are not counted. */
export async function sampleCalls(run: () => Promise<unknown>, warmups: number, runs: number): Promise<number[]> {
  for (let n = 0; n < warmups; n++) await run();
  const samples: number[] = [];
  for (let n = 0; n < runs; n++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

export type ScratchDatabase = { url: string; name: string; finish: () => Promise<void> };

/**
 * The database at `url`, recreated empty (kept as it is with `reuse`); `finish` drops it
 * again unless `keep`. Names the app or the tests use are refused.
 */
export async function scratchDatabase(url: string, options: { reuse?: boolean; keep?: boolean } = {}): Promise<ScratchDatabase> {
  const name = new URL(url).pathname.slice(1);
  if (["postgres", "test", "template0", "template1"].includes(name)) throw new Error(`Refusing to recreate the database "${name}".`);
  const maintenance = postgres(url.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
  if (!options.reuse) {
    await maintenance.unsafe(`drop database if exists "${name}" with (force)`);
    await maintenance.unsafe(`create database "${name}"`);
  }
  return {
    url,
    name,
    finish: async () => {
      if (!options.keep) await maintenance.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await maintenance.end();
    },
  };
}

export type BenchDatabase = {
  /** The app's client, installed (what `getDb()` answers) and migrated. */
  database: OpenDatabase;
  /** One plain connection of the benchmark's own: seeding (its temporary tables live in its session) and EXPLAIN. */
  direct: postgres.Sql;
  /** Closes both and drops the database unless kept. */
  finish: () => Promise<void>;
};

/** A scratch database (see scratchDatabase) with the app's client opened on it and migrated, and a direct connection. */
export async function openBenchDatabase(url: string, options: { reuse?: boolean; keep?: boolean; logger?: Logger; maxConnections?: number } = {}): Promise<BenchDatabase> {
  const scratch = await scratchDatabase(url, options);
  const database = await openDatabase({ kind: "postgres", url, logger: options.logger, maxConnections: options.maxConnections });
  installDatabase(database);
  const direct = postgres(url, { max: 1, onnotice: () => {} });
  const finish = async () => {
    await closeDatabase();
    await direct.end();
    await scratch.finish();
  };
  try {
    await database.migrate();
  } catch (error) {
    await finish();
    throw error;
  }
  return { database, direct, finish };
}

export type CapturedQuery = { query: string; params: unknown[] };

/** A drizzle logger that records queries only while `capture` runs a call. */
export function queryCapture(): { logger: Logger; capture: (run: () => Promise<unknown>) => Promise<CapturedQuery[]> } {
  let captured: CapturedQuery[] | null = null;
  return {
    logger: { logQuery: (query, params) => void captured?.push({ query, params }) },
    capture: async (run) => {
      captured = [];
      try {
        await run();
        return captured;
      } finally {
        captured = null;
      }
    },
  };
}

type Plan = Record<string, unknown>;
export type ExplainedPlan = { plan: Plan; planningMs: number; executionMs: number };

/** EXPLAIN ANALYZE of a captured query, with the parameters it was sent with. */
export async function explain(sql: postgres.Sql, { query, params }: CapturedQuery, options = "analyze, format json"): Promise<ExplainedPlan> {
  const [row] = await sql.unsafe<{ "QUERY PLAN": [{ Plan: Plan; "Planning Time": number; "Execution Time": number }] }[]>(`explain (${options}) ${query}`, params as postgres.ParameterOrJSON<never>[]);
  const [explained] = row!["QUERY PLAN"];
  return { plan: explained.Plan, planningMs: explained["Planning Time"], executionMs: explained["Execution Time"] };
}

/** Every node of a plan, depth first, as its type and the index it reads, if any. */
export function planNodes(plan: Plan): { type: string; index: string | null }[] {
  const children = (plan.Plans as Plan[] | undefined) ?? [];
  return [{ type: String(plan["Node Type"]), index: plan["Index Name"] ? String(plan["Index Name"]) : null }, ...children.flatMap(planNodes)];
}

/** Runs a benchmark's main function; a failure prints and exits non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

export type Measured = { name: string; p50: number; p95: number; plans: string[] };

/**
 * Times `run`; with `isExplained`, also runs it once more under `capture` and lists each query
 * it sent: its first table, the server's execution time and the plan's nodes.
 */
export async function measureWithPlans(
  sql: postgres.Sql,
  capture: ReturnType<typeof queryCapture>["capture"],
  name: string,
  run: () => Promise<unknown>,
  options: { warmups: number; runs: number; isExplained?: boolean },
): Promise<Measured> {
  const samples = await sampleCalls(run, options.warmups, options.runs);
  const plans: string[] = [];
  if (options.isExplained) {
    for (const captured of await capture(run)) {
      const explained = await explain(sql, captured);
      const nodes = planNodes(explained.plan).map((node) => (node.index ? `${node.type} on ${node.index}` : node.type));
      const table = /from "(\w+)"/.exec(captured.query)?.[1] ?? "?";
      plans.push(`${table.padEnd(18)} ${explained.executionMs.toFixed(1).padStart(6)} ms  ${[...new Set(nodes)].join(", ")}`);
    }
  }
  return { name, p50: percentile(samples, 50), p95: percentile(samples, 95), plans };
}
