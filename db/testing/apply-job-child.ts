/**
 * A separate process that works on one background apply job as one worker, step after step as
 * the background function does, and reports how far it got on stdout, so a test can SIGKILL
 * it in the middle of a part (lib/results/apply-job-crash.test.ts).
 *
 *   node --import tsx db/testing/apply-job-child.ts <jobId> <worker> <executionId>
 *
 * Database: DATABASE_URL, or a PGlite folder (PGLITE_DIR) optionally loaded from a dump.
 * Lines printed:
 *   progress <done> <marked> <worker>   every 50 ms: the job's recorded `done`, how many of the
 *                                       run's recommendations are marked applied, the job's holder
 *   contend <handled> <worker> <done>   RUNLOG_CONTEND_AS=<name>: once the first part is recorded,
 *                                       what a second worker's runApplyJobPart did meanwhile
 *   step <handled> <status> <done>      after each runBulkJobStep
 *   job-ended <status>                  the job ended (the test kills the child before this)
 * RUNLOG_KILL_AFTER_STORE_WRITE=<n>: the process kills itself right after its n-th store write
 * has committed, before the recommendation is marked applied (the gap applyOne's comment names).
 */
import fs from "node:fs";
import { and, count, eq } from "drizzle-orm";
import { installDatabase, openDatabase } from "@/db/client";
import { bulkJobs, recommendations } from "@/db/schema";
import { runBulkJobStep } from "@/lib/executions/bulk-steps";
import { DemoStoreAdapter } from "@/lib/platforms/demo-store";
import { runApplyJobPart } from "@/lib/results/apply-job";

async function main() {
  const [jobId, worker, executionId] = process.argv.slice(2) as [string, string, string];
  const dump = process.env.PGLITE_LOAD_FROM;
  const database = process.env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: process.env.DATABASE_URL })
    : await openDatabase({ kind: "pglite", dataDir: process.env.PGLITE_DIR!, loadDataDir: dump ? new Blob([fs.readFileSync(dump)]) : undefined });
  installDatabase(database);
  const { db } = database;

  const killAfter = Number(process.env.RUNLOG_KILL_AFTER_STORE_WRITE ?? 0);
  if (killAfter > 0) {
    // Wrapped here, not in the adapter: the write's transaction has committed when it answers.
    const write = DemoStoreAdapter.prototype.applyChange;
    let writes = 0;
    DemoStoreAdapter.prototype.applyChange = async function (this: DemoStoreAdapter, ...args: Parameters<typeof write>) {
      const result = await write.apply(this, args);
      if (++writes === killAfter) process.kill(process.pid, "SIGKILL");
      return result;
    };
  }

  const contender = process.env.RUNLOG_CONTEND_AS;
  let isWorking = true;
  // Read from its own database: a PGlite folder can be open in one process only.
  const watching = (async () => {
    let hasContended = false;
    while (isWorking) {
      const [job] = await db.select({ done: bulkJobs.done, worker: bulkJobs.worker }).from(bulkJobs).where(eq(bulkJobs.id, jobId));
      const [marked] = await db.select({ n: count() }).from(recommendations).where(and(eq(recommendations.executionId, executionId), eq(recommendations.status, "applied")));
      console.log(`progress ${job?.done ?? -1} ${marked?.n ?? 0} ${job?.worker ?? "-"}`);
      if (contender && !hasContended && job && job.done > 0) {
        hasContended = true;
        // A second worker (a sweep's, another instance's) while this one holds the job mid-part.
        const tried = await runApplyJobPart(jobId, contender);
        console.log(`contend ${tried.handled} ${tried.job?.worker ?? "-"} ${tried.job?.done ?? -1}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  for (;;) {
    const { job, handled, isHeldElsewhere } = await runBulkJobStep(jobId, worker);
    console.log(`step ${handled} ${job?.status ?? "gone"} ${job?.done ?? -1}`);
    if (!job || job.status !== "running" || isHeldElsewhere) {
      console.log(`job-ended ${job?.status ?? "gone"}`);
      break;
    }
  }
  isWorking = false;
  await watching;
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
