import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionArchives, executions, workspaces } from "@/db/schema";
import { runDueScheduledFunctions } from "../scheduler";

/** Runs past their workspace's period still in the history (the default 365 / 90 days). */
async function expiredInHistory(now: Date) {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(executions).innerJoin(workspaces, eq(workspaces.id, executions.workspaceId)).where(and(
    isNull(executions.archivedAt),
    or(
      and(sql`${executions.status} in ('completed', 'partial')`, lt(executions.createdAt, sql`${now.toISOString()}::timestamptz - make_interval(days => ${workspaces.retentionSuccessDays})`)),
      and(sql`${executions.status} in ('failed', 'canceled')`, lt(executions.createdAt, sql`${now.toISOString()}::timestamptz - make_interval(days => ${workspaces.retentionFailureDays})`)),
    ),
  ));
  return row!.n;
}

describe("archival on start", () => {
  it("archives the runs past their retention of a fresh install as soon as the app starts, without waiting for the night", async () => {
    // The demo seed is a fresh install with fifteen months of history; it is midday, not 03:30.
    const now = new Date();
    now.setUTCHours(12, 7, 0, 0);
    const expired = await expiredInHistory(now);
    expect(expired).toBeGreaterThan(50);
    const ran = await runDueScheduledFunctions(now);
    expect(ran).toContain("archive-executions");
    expect(await expiredInHistory(now)).toBe(0);
    const db = await getDb();
    const [archived] = await db.select({ n: count() }).from(executionArchives);
    expect(archived!.n).toBe(expired);
    // And again within minutes, as another instance starting would: it archives only the runs
    // that came due in those minutes (the seed's clock is the test's, so there may be one).
    const later = new Date(now.getTime() + 15 * 60_000);
    const cameDue = await expiredInHistory(later);
    expect(await runDueScheduledFunctions(later)).toContain("archive-executions");
    expect(await expiredInHistory(later)).toBe(0);
    const [still] = await db.select({ n: count() }).from(executionArchives);
    expect(still!.n).toBe(expired + cameDue);
  });
});
