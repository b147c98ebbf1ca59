/**
 * An app instance as far as runs go: opens DATABASE_URL and starts the in-process runner (with
 * its sweep) exactly as the app does on start, then waits to be killed. Tests start two on one
 * database and SIGKILL one (lib/executions/instances.test.ts).
 */
import { installDatabase, openDatabase } from "@/db/client";
import { startEmbeddedRunner } from "@/inngest/embedded";
import { instanceOwner } from "@/lib/executions/ownership";

async function main() {
  installDatabase(await openDatabase({ kind: "postgres", url: process.env.DATABASE_URL! }));
  startEmbeddedRunner();
  console.log(`ready ${instanceOwner()}`);
  // The runner's timers are unref'd; this keeps the instance up until it is killed.
  setInterval(() => {}, 60_000);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
