/**
 * `npm run bench:engine`: an SEO audit over 10,000 pages, end to end in the in-process
 * runner (every write included), on embedded PGlite and on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/runlog_bench, recreated).
 * Fixtures are written first; the run itself happens in a fresh child process
 * (bench/engine-run.ts) so its peak RSS is the engine's alone (the child's own VmHWM: its
 * maxRSS would include this parent's RSS at fork). Prints items per second, wall time and
 * peak RSS. Target: ≥ 1,000 items/s, peak RSS ≤ 400 MB. BENCH_PROFILE / BENCH_HEAP_PROFILE
 * write the child's CPU / heap profile to /tmp/benchprof.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { closeDatabase, installDatabase, openDatabase, type Db, type OpenDatabase } from "@/db/client";
import { memberships, platformConnections, storePages, users, workspaces } from "@/db/schema";
import { SeededRandom } from "@/db/seed/random";
import { generatePages } from "@/db/seed/store";
import { insertInBatches } from "@/db/seed/batches";
import { moveCredits } from "@/lib/credits/ledger";
import { startExecution } from "@/lib/executions/start";
import { runBench, scratchDatabase } from "./harness";

const pageCount = Number(process.env.BENCH_PAGES ?? 10_000);

async function fixtures(db: Db) {
  const rng = new SeededRandom(7);
  const workspaceId = rng.uuid();
  const userId = rng.uuid();
  const connectionId = rng.uuid();
  await db.transaction(async (tx) => {
    await tx.insert(workspaces).values({ id: workspaceId, name: "Bench", slug: "bench" });
    await tx.insert(users).values({ id: userId, email: "bench@bench.test", name: "Bench" });
    await tx.insert(memberships).values({ workspaceId, userId, role: "admin" });
    await tx.insert(platformConnections).values({ id: connectionId, workspaceId, name: "Bench store" });
    const pages = generatePages(rng, ["Jackets"], pageCount - 12, "Bench").map((p, n) => ({ ...p, path: `${p.path}-${n}`, workspaceId, connectionId }));
    await insertInBatches(tx, storePages, pages);
    await moveCredits(tx, { workspaceId, kind: "grant", amount: 1_000_000, idempotencyKey: "grant:bench" });
  });
  return { userId, workspaceId };
}

async function measure(label: string, database: OpenDatabase, childEnv: Record<string, string>) {
  installDatabase(database);
  await database.migrate();
  const ctx = { ...(await fixtures(database.db)), role: "admin" as const };
  const started = await startExecution(ctx, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: pageCount }, includePages: true, includeProducts: false } });
  if (!started.ok) throw new Error(started.message);
  await closeDatabase();
  const profile = [
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/benchprof"] : []),
    // Sampled allocations still live at exit, by call site (open in Chrome DevTools' Memory tab).
    ...(process.env.BENCH_HEAP_PROFILE ? ["--heap-prof", "--heap-prof-dir=/tmp/benchprof"] : []),
  ];
  const output = execFileSync(process.execPath, [...profile, "--import", "tsx", "bench/engine-run.ts", started.executionId, ctx.workspaceId], {
    env: { ...process.env, DATABASE_URL: "", ...childEnv },
    encoding: "utf8",
  });
  const { seconds, processed, status, peakRssMb } = JSON.parse(output.trim().split("\n").pop()!) as { seconds: number; processed: number; status: string; peakRssMb: number };
  console.log(`${label.padEnd(11)} ${processed} pages ${status} in ${seconds.toFixed(2)} s · ${Math.round(processed / seconds)} items/s · peak RSS ${peakRssMb} MB`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-bench-"));
  const dataDir = path.join(dir, "pglite");
  await measure("PGlite", await openDatabase({ kind: "pglite", dataDir }), { PGLITE_DIR: dataDir });
  fs.rmSync(dir, { recursive: true, force: true });

  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench";
  const scratch = await scratchDatabase(url);
  try {
    await measure("PostgreSQL", await openDatabase({ kind: "postgres", url }), { DATABASE_URL: url });
  } finally {
    await scratch.finish();
  }
}

runBench(main);
