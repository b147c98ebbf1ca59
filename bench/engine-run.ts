/** Child of bench/engine.ts: runs one prepared execution and prints its figures as JSON. */
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { closeDatabase, getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { runExecutionInProcess } from "@/inngest/embedded";

/**
 * This process's own peak RSS in MB. Not `process.resourceUsage().maxRSS`: on Linux that
 * keeps the high-water mark from before exec, i.e. the forked copy of the parent, which
 * holds the seeding's memory (a child that allocates nothing reports the parent's RSS).
 * VmHWM belongs to this process's address space alone.
 */
function peakRssMb(): number {
  const status = fs.existsSync("/proc/self/status") ? fs.readFileSync("/proc/self/status", "utf8") : "";
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return Math.round((kb ? Number(kb) : process.resourceUsage().maxRSS) / 1024);
}

async function main() {
  const [executionId, workspaceId] = process.argv.slice(2) as [string, string];
  await getDb();
  const t0 = performance.now();
  await runExecutionInProcess({ executionId, workspaceId });
  const seconds = (performance.now() - t0) / 1000;
  const db = await getDb();
  const [row] = await db.select({ processed: executions.itemsProcessed, status: executions.status }).from(executions).where(eq(executions.id, executionId));
  await closeDatabase();
  console.log(JSON.stringify({ seconds, processed: row?.processed ?? 0, status: row?.status, peakRssMb: peakRssMb() }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
