/**
 * The runner process (RUNLOG_ROLE=runner), which `npm start` starts beside the web processes
 * on PostgreSQL (scripts/start.mjs): it takes up queued runs and runs whose owner stopped, and
 * runs the scheduled functions; pages never wait for it. Bundled by scripts/build-runner.mjs.
 */
import { prepareAtStart } from "@/db/prepare";
import { closeDatabase } from "@/db/client";
import { instanceOwner } from "@/lib/executions/ownership";
import { isInngestConfigured } from "./client";
import { startEmbeddedRunner, stopEmbeddedRunner } from "./embedded";
import { startEmbeddedScheduler, stopEmbeddedScheduler } from "./scheduler";

// This process serves no pages, so agents analyse on its own thread (no worker threads to load).
process.env.RUNLOG_ANALYSIS_THREADS ??= "0";

async function main() {
  if (isInngestConfigured()) {
    console.log("Runlog runner: Inngest is configured and runs the agents; nothing to do here.");
    return;
  }
  // While the database is not there yet, this waits for it rather than exit and be restarted.
  await prepareAtStart({ waits: true });
  startEmbeddedRunner();
  startEmbeddedScheduler();
  console.log(`Runlog runner: taking up runs as ${instanceOwner()}.`);
  const keepAlive = setInterval(() => {}, 60_000);
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    clearInterval(keepAlive);
    stopEmbeddedScheduler();
    const released = await stopEmbeddedRunner().catch(() => 0);
    if (released) console.log(`Runlog runner: ${signal}; let go of ${released} run${released === 1 ? "" : "s"} for another instance to take up.`);
    await closeDatabase().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error("Runlog runner could not start:", error);
  process.exit(1);
});
