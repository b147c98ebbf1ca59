// `npm start`: the production server, supervised.
//
// On PostgreSQL (DATABASE_URL set) it starts RUNLOG_WEB_PROCESSES web processes (`next start`,
// sharing one port through Node's cluster module) that only serve pages, and one runner process
// (.runlog/runner.mjs, built by `npm run build`) that runs agents and the scheduled functions at a
// lower CPU priority (RUNLOG_RUNNER_NICE, default 10): pages never wait behind an agent's work. The
// runner does its analysis on one thread, so it gets a core of its own: beside it there is one web
// process per remaining core (at least 1, at most 4); without it (RUNLOG_ROLE=web), one per core.
// With a web process on every core, readers took the runner's core too and runs crawled at a
// third of their speed (bench:load, bench/README.md). A process that dies is started again;
// SIGTERM or SIGINT stops them all (the runner lets go of its runs).
//
// On the embedded database (no DATABASE_URL) one process does everything: a PGlite folder
// belongs to one process. Arguments are passed on to `next start` (e.g. `npm start -- -p 4000`).
import cluster from "node:cluster";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const nextBin = require.resolve("next/dist/bin/next");
const runnerBundle = path.join(process.cwd(), ".runlog", "runner.mjs");
const args = ["start", ...process.argv.slice(2)];

function count(name, fallback, max) {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

const isServer = Boolean(process.env.DATABASE_URL);
const runnerNice = Number.isInteger(Number(process.env.RUNLOG_RUNNER_NICE)) ? Number(process.env.RUNLOG_RUNNER_NICE) : 10;
const withRunner = isServer && process.env.RUNLOG_ROLE !== "web";
const coresForWeb = os.availableParallelism() - (withRunner ? 1 : 0);
const webProcesses = isServer ? count("RUNLOG_WEB_PROCESSES", Math.max(1, Math.min(coresForWeb, 4)), 32) : 1;

if (withRunner && !fs.existsSync(runnerBundle)) {
  console.error("Runlog: .runlog/runner.mjs is missing; run `npm run build` first (it builds the runner beside the app).");
  process.exit(1);
}

let isStopping = false;
let runner = null;
const restartDelayMs = 1000;
let lastWebExitAt = 0;

if (withRunner) startRunner();
// Several web processes take turns at new connections, which this process hands out; one takes
// them from the port itself, so none is handed to it in the instant it dies and left unanswered.
cluster.schedulingPolicy = webProcesses === 1 ? cluster.SCHED_NONE : cluster.SCHED_RR;
// Rendering a page allocates a lot of short-lived memory: a young generation of up to 64 MB
// (V8's default is 16) collects it less often and cut a page's CPU time by about a tenth in
// bench:load's measurements; it grows to that size only under load.
cluster.setupPrimary({ exec: nextBin, args, execArgv: [...process.execArgv, "--max-semi-space-size=64"] });
for (let n = 0; n < webProcesses; n++) forkWeb();
cluster.on("exit", (worker, code, signal) => {
  if (isStopping) return;
  console.error(`Runlog: a web process stopped (${signal ?? `exit ${code}`}); starting another.`);
  // On 2 cores it may be the only one, and the port refuses connections until its successor
  // listens (about 1.5 s): start that at once, unless web processes keep stopping.
  const isRepeated = Date.now() - lastWebExitAt < 10_000;
  lastWebExitAt = Date.now();
  setTimeout(forkWeb, isRepeated ? restartDelayMs : 0);
});

function startRunner() {
  runner = spawn(process.execPath, ["--enable-source-maps", runnerBundle], { env: { ...process.env, RUNLOG_ROLE: "runner" }, stdio: "inherit" });
  try {
    os.setPriority(runner.pid, runnerNice);
  } catch (error) {
    console.error(`Runlog: could not lower the runner's priority (${error.message}); it runs at normal priority.`);
  }
  runner.on("exit", (code, signal) => {
    runner = null;
    if (isStopping) return;
    console.error(`Runlog: the runner stopped (${signal ?? `exit ${code}`}); starting it again.`);
    setTimeout(startRunner, restartDelayMs);
  });
}

function forkWeb() {
  // Beside a runner, web processes only serve; alone (embedded database) the one process also runs agents.
  cluster.fork(withRunner ? { RUNLOG_ROLE: "web" } : {});
}

function stopAll(signal) {
  if (isStopping) return;
  isStopping = true;
  runner?.kill(signal);
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  const deadline = setTimeout(() => process.exit(1), 15_000);
  deadline.unref();
  const check = setInterval(() => {
    if (!runner && Object.keys(cluster.workers ?? {}).length === 0) {
      clearInterval(check);
      process.exit(0);
    }
  }, 100);
}
process.on("SIGTERM", () => stopAll("SIGTERM"));
process.on("SIGINT", () => stopAll("SIGINT"));
