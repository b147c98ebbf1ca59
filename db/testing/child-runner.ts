/**
 * A separate process that runs one execution and reports each finished step on stdout,
 * so a test can kill it with SIGKILL midway (see lib/executions/crash-recovery.test.ts).
 * Database: DATABASE_URL, or a PGlite folder (PGLITE_DIR) optionally loaded from a dump.
 */
import fs from "node:fs";
import { installDatabase, openDatabase } from "@/db/client";
import { runAgent } from "@/inngest/functions/run-agent";
import { observedStep } from "@/inngest/observed-step";

async function main() {
  const [executionId, workspaceId] = process.argv.slice(2);
  const dump = process.env.PGLITE_LOAD_FROM;
  const database = process.env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: process.env.DATABASE_URL })
    : await openDatabase({ kind: "pglite", dataDir: process.env.PGLITE_DIR!, loadDataDir: dump ? new Blob([fs.readFileSync(dump)]) : undefined });
  installDatabase(database);
  await runAgent({
    event: { data: { executionId: executionId!, workspaceId: workspaceId! } },
    step: observedStep({ after: (id) => void console.log(`step-done ${id}`) }),
  });
  console.log("run-finished");
  await database.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
