/**
 * A separate process that runs one execution and reports each finished step on stdout,
 * so a test can kill it with SIGKILL midway (see lib/executions/crash-recovery.test.ts).
 * Database: DATABASE_URL, or a PGlite folder (PGLITE_DIR) optionally loaded from a dump.
 */
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { installDatabase, openDatabase } from "@/db/client";
import { executions } from "@/db/schema";
import { runAgent } from "@/inngest/functions/run-agent";
import { observedStep } from "@/inngest/observed-step";
import { instanceOwner } from "@/lib/executions/ownership";

async function main() {
  const [executionId, workspaceId] = process.argv.slice(2);
  const dump = process.env.PGLITE_LOAD_FROM;
  const database = process.env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: process.env.DATABASE_URL })
    : await openDatabase({ kind: "pglite", dataDir: process.env.PGLITE_DIR!, loadDataDir: dump ? new Blob([fs.readFileSync(dump)]) : undefined });
  installDatabase(database);
  // How far the run got, from its own database, for a parent that kills it mid-batch (a PGlite
  // folder can be read by one process only).
  const progress = setInterval(async () => {
    const [row] = await database.db.select({ batchesDone: executions.batchesDone, batchItemsDone: executions.batchItemsDone }).from(executions).where(eq(executions.id, executionId!));
    if (row) console.log(`progress ${row.batchesDone} ${row.batchItemsDone}`);
  }, 50);
  await runAgent({
    event: { data: { executionId: executionId!, workspaceId: workspaceId! } },
    step: observedStep({
      before: (id) => {
        // A process killed inside a step: its work so far is lost, as a real crash would lose it.
        if (id === process.env.RUNLOG_KILL_BEFORE_STEP) process.kill(process.pid, "SIGKILL");
      },
      after: (id) => void console.log(`step-done ${id}`),
    }),
    runId: instanceOwner(),
  });
  clearInterval(progress);
  console.log("run-finished");
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
