import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditAccounts, emailOutbox, notifications, recommendations } from "@/db/schema";
import { createFreshWorkspace, insertExecution } from "@/db/testing/fresh-workspace";
import { setExecutionKept } from "@/lib/retention/keep";
import { raiseBusinessAlerts } from "./business-alerts";
import { buildWeeklySummary, localClock, sendDueWeeklySummaries } from "./weekly-summary";

const day = 86_400_000;

describe("the weekly summary", () => {
  it("counts the last seven days' runs, failures and credits the person can see, and lists what awaits approval", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    const now = new Date("2030-03-04T08:00:00Z");
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 1 * day), creditsCharged: 30, withRows: true });
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 6 * day), status: "failed", creditsCharged: 0 });
    await insertExecution(people.admin!, { createdAt: new Date(now.getTime() - 2 * day), creditsCharged: 12 });
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 8 * day), creditsCharged: 500 });
    const memberWeek = await buildWeeklySummary(people.member!, now);
    expect(memberWeek).toMatchObject({ runs: 2, failures: 1, creditsCharged: 30, awaitingApproval: 1 });
    expect(memberWeek.topAwaiting).toMatchObject([{ itemLabel: "About", field: "title", priority: "high" }]);
    const adminWeek = await buildWeeklySummary(people.admin!, now);
    expect(adminWeek).toMatchObject({ runs: 3, failures: 1, creditsCharged: 42, awaitingApproval: 1 });
  });

  it("lists the runs the person can see that leave the history next week, but not kept ones", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    const now = new Date("2030-03-04T08:00:00Z");
    const soon = await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 362 * day), status: "completed" });
    const failedSoon = await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 85 * day), status: "failed" });
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 300 * day), status: "completed" });
    const kept = await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 361 * day), status: "completed" });
    const othersSoon = await insertExecution(people.admin!, { createdAt: new Date(now.getTime() - 360 * day), status: "completed" });
    expect((await setExecutionKept(people.member!, kept.id, true)).ok).toBe(true);
    const week = await buildWeeklySummary(people.member!, now);
    expect(week.archivingNextWeek.map((r) => [r.executionId, r.archivesOn.toISOString().slice(0, 10)])).toEqual([
      [failedSoon.id, "2030-03-09"],
      [soon.id, "2030-03-07"],
    ].sort((a, b) => a[1]!.localeCompare(b[1]!)));
    expect(week.archivingNextWeekTotal).toBe(2);
    const adminWeek = await buildWeeklySummary(people.admin!, now);
    expect(adminWeek.archivingNextWeek.map((r) => r.executionId)).toContain(othersSoon.id);
  });

  it("goes out on Monday from 08:00 in the person's time zone, once, and in UTC when the zone is unknown", async () => {
    const { people } = await createFreshWorkspace([
      { key: "tokyo", role: "member", timeZone: "Asia/Tokyo", preferences: { isWeeklySummaryEnabled: true } },
      { key: "nowhere", role: "member", timeZone: "Mars/Olympus", preferences: { isWeeklySummaryEnabled: true } },
      { key: "unsubscribed", role: "member" },
    ]);
    await insertExecution(people.tokyo!, { createdAt: new Date("2030-03-02T10:00:00Z"), creditsCharged: 7 });
    const db = await getDb();
    const summariesOf = async (userId: string) => (await db.select().from(notifications).where(eq(notifications.userId, userId))).filter((n) => n.kind === "weekly_summary");
    // Monday 2030-03-04 08:00 in Tokyo is Sunday 23:00 UTC.
    expect(localClock(new Date("2030-03-03T22:59:00Z"), "Asia/Tokyo")).toEqual({ date: "2030-03-04", weekday: "Mon", hour: 7 });
    await sendDueWeeklySummaries(new Date("2030-03-03T22:59:00Z"));
    expect(await summariesOf(people.tokyo!.userId)).toHaveLength(0);
    await sendDueWeeklySummaries(new Date("2030-03-03T23:00:00Z"));
    await sendDueWeeklySummaries(new Date("2030-03-04T02:00:00Z"));
    const tokyo = await summariesOf(people.tokyo!.userId);
    expect(tokyo).toHaveLength(1);
    expect(tokyo[0]!.title).toBe("Your week: 1 run, 0 failures, 7 credits");
    const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, people.tokyo!.email));
    expect(email!.textBody).toContain("- 1 run: http://localhost:3000/executions?range=7d");
    expect(email!.textBody).toContain("- 7 credits charged");
    // Unknown zone: UTC, so not yet at 07:59 UTC on Monday, then at 08:00.
    await sendDueWeeklySummaries(new Date("2030-03-04T07:59:00Z"));
    expect(await summariesOf(people.nowhere!.userId)).toHaveLength(0);
    await sendDueWeeklySummaries(new Date("2030-03-04T08:00:00Z"));
    expect(await summariesOf(people.nowhere!.userId)).toHaveLength(1);
    expect(await summariesOf(people.unsubscribed!.userId)).toHaveLength(0);
    // The next Monday brings the next one.
    await sendDueWeeklySummaries(new Date("2030-03-11T00:00:00Z"));
    expect(await summariesOf(people.tokyo!.userId)).toHaveLength(2);
  });
});

describe("business alerts for admins", () => {
  it("reports recommendations awaiting approval for 7 days and a balance below 10 %, once each", async () => {
    const { workspace, people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }], { balance: 1_000 });
    const now = new Date("2030-05-15T12:00:00Z");
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 10 * day), withRows: true });
    await insertExecution(people.member!, { createdAt: new Date(now.getTime() - 2 * day), withRows: true });
    const db = await getDb();
    const alertsOf = async (userId: string) => (await db.select().from(notifications).where(eq(notifications.userId, userId))).map((n) => [n.kind, n.title]);
    await raiseBusinessAlerts(now);
    expect(await alertsOf(people.admin!.userId)).toEqual([["awaiting_approval", "1 recommendation awaiting approval for 7 days"]]);
    expect(await alertsOf(people.member!.userId)).toEqual([]);
    // Approved: nothing waits; spent down to 9 %: the balance alert, once.
    await db.update(recommendations).set({ status: "approved" }).where(eq(recommendations.workspaceId, workspace.id));
    await db.update(creditAccounts).set({ balance: 90 }).where(eq(creditAccounts.workspaceId, workspace.id));
    await raiseBusinessAlerts(new Date(now.getTime() + 7 * day));
    await raiseBusinessAlerts(new Date(now.getTime() + 7 * day + 3_600_000));
    expect(await alertsOf(people.admin!.userId)).toEqual([
      ["awaiting_approval", "1 recommendation awaiting approval for 7 days"],
      ["low_balance", "Credit balance below 10 %"],
    ]);
  });
});
