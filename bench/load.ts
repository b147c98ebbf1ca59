/**
 * `npm run bench:load`: the web tier under load, with and without runs executing, on PostgreSQL
 * (BENCH_LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/runlog_bench_load,
 * recreated and dropped; BENCH_LOAD_KEEP=1 keeps it). The production server is started as an
 * operator starts it (`npm start`: web processes beside the runner), the demo workspace seeded,
 * and 5,000 more pages added to its store. Then, with 32 concurrent readers (BENCH_LOAD_READERS)
 * of Past executions and of the largest demo run's page, each for 60 s (BENCH_LOAD_SECONDS):
 *   1. pages alone;
 *   2. three 5,000-item SEO audits executing alone (kept at three: one starts as one ends);
 *   3. pages again while three runs execute.
 * Prints requests/s, p50 and p95 per page in both phases, each page's HTML, the server's CPU
 * time per request with no runs (all its processes: where a core's time goes), and the runs'
 * items/s alone and with readers, against the targets; then how many cores the web processes,
 * the runner, PostgreSQL and the load generator kept busy in each phase. BENCH_LOAD_PROFILE=1 writes CPU
 * profiles of the server's processes to /tmp/runlog-load-profile.
 */
import os from "node:os";
import autocannon from "autocannon";
import { and, eq, inArray, sql } from "drizzle-orm";
import { installDatabase, openDatabase, type OpenDatabase } from "@/db/client";
import { executions, memberships, platformConnections, storePages, users, workspaces } from "@/db/schema";
import { insertInBatches } from "@/db/seed/batches";
import { SeededRandom } from "@/db/seed/random";
import { generatePages } from "@/db/seed/store";
import type { Ctx } from "@/lib/auth/context";
import { moveCredits } from "@/lib/credits/ledger";
import { startExecution } from "@/lib/executions/start";
import { announceRunsQueued } from "@/lib/executions/sweep";
import { percentile, runBench, scratchDatabase } from "./harness";
import { cpuProfileOption, liveProcesses, signIn, startProductionServer, type ProductionServer } from "./production-server";

const url = process.env.BENCH_LOAD_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_load";
const readers = Number(process.env.BENCH_LOAD_READERS ?? 32);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
// A freshly started web process spends its first minute or so compiling hot code: the same page
// cost 22, 14, then 11 ms of CPU per request in three back-to-back 15 s rounds after a start.
const warmUpSeconds = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 30);
const runItems = 5000;
const runsAtOnce = 3;

type PageLoad = { rps: number; p50: number; p95: number; errors: number; requests: number; cpuMsPerRequest: number; cores: Cores };

/** CPU time so far (ms, user and system) of each part of the machine a load test involves. */
type CpuByPart = { web: number; runner: number; postgres: number; loadGenerator: number; atMs: number };
/** Cores each part kept busy between two samples, on average. */
type Cores = Omit<CpuByPart, "atMs">;

/**
 * The server's web processes (and its supervisor, which costs next to nothing) and its runner
 * (the processes of its group), every PostgreSQL process, and this process (autocannon's readers).
 */
function cpuByPart(serverGroup: number): CpuByPart {
  const sample: CpuByPart = { web: 0, runner: 0, postgres: 0, loadGenerator: 0, atMs: performance.now() };
  for (const { name, statFields, commandLine } of liveProcesses()) {
    const ms = (Number(statFields[11]) + Number(statFields[12])) * 10; // USER_HZ is 100 on Linux
    if (Number(statFields[2]) === serverGroup) sample[commandLine.includes("runner.mjs") ? "runner" : "web"] += ms;
    else if (name === "postgres") sample.postgres += ms;
  }
  const own = process.cpuUsage();
  sample.loadGenerator = (own.user + own.system) / 1000;
  return sample;
}

function coresBetween(before: CpuByPart, after: CpuByPart): Cores {
  const span = after.atMs - before.atMs;
  const share = (part: keyof Cores) => (after[part] - before[part]) / span;
  return { web: share("web"), runner: share("runner"), postgres: share("postgres"), loadGenerator: share("loadGenerator") };
}

/** `readers` connections reading `path` back to back for `durationS` seconds (after a short warm-up). */
async function loadPage(origin: string, path: string, cookie: string, durationS: number, serverGroup: number): Promise<PageLoad> {
  await autocannon({ url: `${origin}${path}`, connections: readers, duration: 3, headers: { cookie } });
  const before = cpuByPart(serverGroup);
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: `${origin}${path}`, connections: readers, duration: durationS, headers: { cookie } }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) errors++;
      latencies.push(responseTime);
    });
  });
  errors += result.errors + result.timeouts;
  const after = cpuByPart(serverGroup);
  const cpuMsPerRequest = (after.web + after.runner - before.web - before.runner) / Math.max(1, latencies.length);
  return { rps: latencies.length / durationS, p50: percentile(latencies, 50), p95: percentile(latencies, 95), errors, requests: latencies.length, cpuMsPerRequest, cores: coresBetween(before, after) };
}

/** Items done so far by these runs, counting those of batches in hand. */
async function itemsDone(database: OpenDatabase, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await database.db
    .select({ n: sql<number>`coalesce(sum(${executions.itemsProcessed} + ${executions.itemsFailed} + case when ${executions.status} = 'running' then ${executions.batchItemsDone} else 0 end), 0)::int` })
    .from(executions)
    .where(inArray(executions.id, ids));
  return row?.n ?? 0;
}

/**
 * Keeps `runsAtOnce` SEO audits of `runItems` pages executing — started as the app does (the
 * credit reservation, then the runner told through the database) — until `stop` is called;
 * answers the items per second they did meanwhile.
 */
function keepRunsExecuting(database: OpenDatabase, ctx: Ctx): { stop: () => Promise<{ itemsPerSecond: number; runs: number }> } {
  const started: string[] = [];
  let isStopping = false;
  const t0 = performance.now();
  const loop = (async () => {
    while (!isStopping) {
      const live = started.length ? await database.db.select({ id: executions.id }).from(executions).where(and(inArray(executions.id, started), inArray(executions.status, ["queued", "running"]))) : [];
      for (let n = live.length; n < runsAtOnce && !isStopping; n++) {
        const run = await startExecution(ctx, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: runItems }, includePages: true, includeProducts: false } });
        if (!run.ok) throw new Error(run.message);
        started.push(run.executionId);
        await announceRunsQueued();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    stop: async () => {
      isStopping = true;
      await loop;
      const done = await itemsDone(database, started);
      const elapsedS = (performance.now() - t0) / 1000;
      // Runs left over are canceled so the next phase starts from nothing.
      await database.db.update(executions).set({ cancelRequestedAt: sql`now()` }).where(and(inArray(executions.id, started), inArray(executions.status, ["queued", "running"])));
      return { itemsPerSecond: done / elapsedS, runs: started.length };
    },
  };
}

async function waitForNoLiveRuns(database: OpenDatabase) {
  for (let n = 0; n < 600; n++) {
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(executions).where(inArray(executions.status, ["queued", "running"]));
    if ((row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("Runs were still live after 5 minutes");
}

async function addStorePages(database: OpenDatabase): Promise<Ctx> {
  const [acme] = await database.db
    .select({ workspaceId: workspaces.id, connectionId: platformConnections.id, userId: users.id })
    .from(workspaces)
    .innerJoin(platformConnections, eq(platformConnections.workspaceId, workspaces.id))
    .innerJoin(memberships, and(eq(memberships.workspaceId, workspaces.id), eq(memberships.role, "admin")))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(workspaces.slug, "acme"));
  if (!acme) throw new Error("The demo workspace was not seeded");
  const rng = new SeededRandom(12);
  await database.db.transaction(async (tx) => {
    const pages = generatePages(rng, ["Jackets"], runItems, "Load").map((page, n) => ({ ...page, path: `${page.path}-load-${n}`, workspaceId: acme.workspaceId, connectionId: acme.connectionId }));
    await insertInBatches(tx, storePages, pages);
    await moveCredits(tx, { workspaceId: acme.workspaceId, kind: "grant", amount: 10_000_000, idempotencyKey: "grant:bench-load" });
  });
  return { userId: acme.userId, workspaceId: acme.workspaceId, role: "admin" };
}

function ms(value: number | undefined): string {
  return value === undefined ? "no answer" : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

runBench(async () => {
  const scratch = await scratchDatabase(url, { keep: process.env.BENCH_LOAD_KEEP === "1" });
  let server: ProductionServer | null = null;
  let database: OpenDatabase | null = null;
  try {
    console.log(`Starting npm start on ${scratch.name} (seeds the demo workspace)…`);
    server = await startProductionServer({
      databaseUrl: scratch.url,
      mode: "npm-start",
      // Three runs of one workspace at once (two is the default).
      env: { RUNLOG_RUNS_PER_WORKSPACE: String(runsAtOnce), ...(process.env.BENCH_LOAD_PROFILE === "1" ? { RUNLOG_CPU_PROFILE_DIR: "/tmp/runlog-load-profile" } : {}) },
      nodeOptions: process.env.BENCH_LOAD_PROFILE === "1" ? cpuProfileOption : undefined,
    });
    database = await openDatabase({ kind: "postgres", url: scratch.url, maxConnections: 4 });
    installDatabase(database);
    await waitForNoLiveRuns(database); // the demo's runs in progress finish first
    const ctx = await addStorePages(database);
    const cookie = await signIn(server.origin, "admin@acme.test", "runlog-demo");
    const htmlKb = new Map<string, number>();
    const pageKb = async (path: string) => {
      const response = await fetch(`${server!.origin}${path}`, { headers: { cookie } });
      const kb = (await response.arrayBuffer()).byteLength / 1024;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      htmlKb.set(path, kb);
      return kb;
    };
    // The largest demo run: of each agent's run with the most items, the one whose page is heaviest.
    const candidates = await database.db
      .selectDistinctOn([executions.agentId], { id: executions.id, agentId: executions.agentId, items: executions.itemsTotal })
      .from(executions)
      .where(and(eq(executions.workspaceId, ctx.workspaceId), inArray(executions.status, ["completed", "partial"])))
      .orderBy(executions.agentId, sql`${executions.itemsTotal} desc`, sql`${executions.createdAt} desc`);
    let largest = candidates[0]!;
    for (const run of candidates) if ((await pageKb(`/executions/${run.id}`)) > htmlKb.get(`/executions/${largest.id}`)!) largest = run;
    await pageKb("/executions");
    const pages = [
      { name: "Past executions", path: "/executions", target: 100 },
      { name: `Run page (${largest.agentId}, ${largest.items} items)`, path: `/executions/${largest.id}`, target: 60 },
    ];

    console.log(`Warming the server up: ${readers} readers, ${warmUpSeconds} s per page…`);
    for (const page of pages) await autocannon({ url: `${server.origin}${page.path}`, connections: readers, duration: warmUpSeconds, headers: { cookie } });

    console.log(`Phase 1: ${readers} readers, no runs, ${seconds} s per page…`);
    const alone = new Map<string, PageLoad>();
    for (const page of pages) alone.set(page.path, await loadPage(server.origin, page.path, cookie, seconds, server.process.pid!));

    console.log(`Phase 2: ${runsAtOnce} runs of ${runItems} items, no readers, ${seconds} s…`);
    const solo = keepRunsExecuting(database, ctx);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the runs under way
    const soloBefore = cpuByPart(server.process.pid!);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const soloCores = coresBetween(soloBefore, cpuByPart(server.process.pid!));
    const soloRuns = await solo.stop();
    await waitForNoLiveRuns(database);

    console.log(`Phase 3: ${readers} readers while ${runsAtOnce} runs execute, ${seconds} s per page…`);
    const withRuns = new Map<string, { load: PageLoad; itemsPerSecond: number }>();
    for (const page of pages) {
      const feeder = keepRunsExecuting(database, ctx);
      await new Promise((resolve) => setTimeout(resolve, 2000)); // the runs under way
      const load = await loadPage(server.origin, page.path, cookie, seconds, server.process.pid!);
      const runs = await feeder.stop();
      withRuns.set(page.path, { load, itemsPerSecond: runs.itemsPerSecond });
      await waitForNoLiveRuns(database);
    }

    console.log("");
    console.log(row(["Page", "HTML", "Phase", "Requests/s", "p50", "p95", "Server CPU per request", "Errors", "Runs' items/s"]));
    console.log(row(["---", "---", "---", "---", "---", "---", "---", "---", "---"]));
    const verdicts: string[] = [];
    for (const page of pages) {
      const a = alone.get(page.path)!;
      const w = withRuns.get(page.path)!;
      const html = `${htmlKb.get(page.path)!.toFixed(0)} KB`;
      console.log(row([page.name, html, "no runs", a.rps.toFixed(1), ms(a.p50), ms(a.p95), ms(a.cpuMsPerRequest), a.errors, "—"]));
      console.log(row([page.name, html, `${runsAtOnce} runs`, w.load.rps.toFixed(1), ms(w.load.p50), ms(w.load.p95), "—", w.load.errors, w.itemsPerSecond.toFixed(0)]));
      verdicts.push(`${page.name}: ${a.rps.toFixed(1)} requests/s alone (target ≥ ${page.target}): ${a.rps >= page.target ? "met" : "MISSED"}`);
      verdicts.push(`${page.name}: HTML ${html} (target ≤ 250 KB): ${htmlKb.get(page.path)! <= 250 ? "met" : "MISSED"}`);
      const ratio = w.load.p95 / a.p95;
      verdicts.push(`${page.name}: p95 with runs ${ms(w.load.p95)} = ${ratio.toFixed(2)}× alone (target ≤ 1.5× and ≤ 300 ms): ${ratio <= 1.5 && w.load.p95 <= 300 ? "met" : "MISSED"}`);
      const kept = w.itemsPerSecond / soloRuns.itemsPerSecond;
      verdicts.push(`Runs beside ${page.name} readers: ${w.itemsPerSecond.toFixed(0)} of ${soloRuns.itemsPerSecond.toFixed(0)} items/s alone = ${(kept * 100).toFixed(0)}% (target ≥ 60%): ${kept >= 0.6 ? "met" : "MISSED"}`);
    }
    console.log(row(["(runs alone)", "—", `${runsAtOnce} runs`, "—", "—", "—", "—", "—", soloRuns.itemsPerSecond.toFixed(0)]));
    console.log("");
    console.log(`Cores each part kept busy, on average (this machine has ${os.availableParallelism()}):`);
    console.log("");
    console.log(row(["Phase", "Web processes", "Runner", "PostgreSQL", "Load generator", "All"]));
    console.log(row(["---", "---", "---", "---", "---", "---"]));
    const coreRow = (phase: string, cores: Cores) => console.log(row([phase, ...[cores.web, cores.runner, cores.postgres, cores.loadGenerator, cores.web + cores.runner + cores.postgres + cores.loadGenerator].map((n) => n.toFixed(2))]));
    for (const page of pages) coreRow(`${page.name}, no runs`, alone.get(page.path)!.cores);
    coreRow(`${runsAtOnce} runs, no readers`, soloCores);
    for (const page of pages) coreRow(`${page.name}, ${runsAtOnce} runs`, withRuns.get(page.path)!.load.cores);
    console.log("");
    for (const verdict of verdicts) console.log(verdict);
  } finally {
    await server?.stop();
    await database?.close();
    await scratch.finish();
  }
});
