/** Child of bench/engine.ts: runs one prepared execution and prints its figures as JSON. */
import { eq } from "drizzle-orm";
import { closeDatabase, getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { runExecutionInProcess } from "@/inngest/embedded";

async function main() {
  const [executionId, workspaceId] = process.argv.slice(2) as [string, string];
  await getDb();
  const t0 = performance.now();
  await runExecutionInProcess({ executionId, workspaceId });
  const seconds = (performance.now() - t0) / 1000;
  const db = await getDb();
  const [row] = await db.select({ processed: executions.itemsProcessed, status: executions.status }).from(executions).where(eq(executions.id, executionId));
  await closeDatabase();
  console.log(JSON.stringify({ seconds, processed: row?.processed ?? 0, status: row?.status, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
