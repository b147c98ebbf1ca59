import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { emailOutbox, notificationSettings, notifications, workflows } from "@/db/schema";
import { createFreshWorkspace, insertExecution } from "@/db/testing/fresh-workspace";
import { notifyExecutionFinished } from "./execution-finished";
import { countUnreadNotifications, listNotifications, markAllNotificationsRead, markNotificationRead } from "./inbox";
import { getNotificationPreferences, saveNotificationPreferences } from "./settings";

const minute = 60_000;

async function noticesOf(userId: string) {
  const db = await getDb();
  return db.select().from(notifications).where(eq(notifications.userId, userId));
}

async function emailsTo(address: string) {
  const db = await getDb();
  return db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, address));
}

describe("notifications when an execution finishes", () => {
  it("alerts the runner of a failure with a link to its troubleshooting, and puts the email in the outbox without SMTP", async () => {
    const { people } = await createFreshWorkspace([{ key: "runner", role: "member" }, { key: "other", role: "member" }]);
    const failed = await insertExecution(people.runner!, { status: "failed", errorMessage: "The connection to the store was lost.", errorHint: "Reconnect the store." });
    const result = await notifyExecutionFinished(failed.id);
    expect(result.notified).toBe(1);
    const [notice] = await noticesOf(people.runner!.userId);
    expect(notice).toMatchObject({ kind: "failure", title: "SEO audit failed", href: `/executions/${failed.id}#troubleshooting-heading`, executionId: failed.id });
    expect(notice!.body).toContain("The connection to the store was lost.");
    expect(await noticesOf(people.other!.userId)).toEqual([]);
    const [email] = await emailsTo(people.runner!.email);
    expect(email).toMatchObject({ status: "outbox", subject: "Runlog: SEO audit failed" });
    expect(email!.textBody).toContain(`/executions/${failed.id}#troubleshooting-heading`);
  });

  it("alerts admins about others' failures only when they opted in", async () => {
    const { people } = await createFreshWorkspace([
      { key: "runner", role: "member" },
      { key: "watcher", role: "admin", preferences: { isWorkspaceFailureEnabled: true } },
      { key: "quiet", role: "admin" },
    ]);
    const failed = await insertExecution(people.runner!, { status: "failed", errorMessage: "Timed out." });
    await notifyExecutionFinished(failed.id);
    expect((await noticesOf(people.watcher!.userId)).map((n) => n.kind)).toEqual(["failure"]);
    expect(await noticesOf(people.quiet!.userId)).toEqual([]);
  });

  it("notifies completion only for runs longer than the person's minimum, and not when turned off", async () => {
    const { people } = await createFreshWorkspace([
      { key: "patient", role: "member", preferences: { completionMinMinutes: 10 } },
      { key: "off", role: "member", preferences: { isCompletionEnabled: false } },
    ]);
    const start = new Date(Date.now() - 60 * minute);
    const short = await insertExecution(people.patient!, { startedAt: start, finishedAt: new Date(start.getTime() + 9 * minute) });
    const long = await insertExecution(people.patient!, { startedAt: start, finishedAt: new Date(start.getTime() + 10 * minute), status: "partial", itemsFailed: 1 });
    const offRun = await insertExecution(people.off!, { startedAt: start, finishedAt: new Date(start.getTime() + 30 * minute) });
    for (const run of [short, long, offRun]) await notifyExecutionFinished(run.id);
    const notices = await noticesOf(people.patient!.userId);
    expect(notices.map((n) => [n.kind, n.executionId])).toEqual([["completion", long.id]]);
    expect(notices[0]!.title).toBe("SEO audit finished with some items failed");
    expect(await noticesOf(people.off!.userId)).toEqual([]);
  });

  it("fires the credit threshold once per execution, however often the event is handled", async () => {
    const { people } = await createFreshWorkspace([{ key: "spender", role: "member", preferences: { isCreditThresholdEnabled: true, creditThreshold: 100, isCompletionEnabled: false } }]);
    const atThreshold = await insertExecution(people.spender!, { creditsCharged: 100 });
    const over = await insertExecution(people.spender!, { creditsCharged: 101 });
    for (let attempt = 0; attempt < 3; attempt++) {
      await notifyExecutionFinished(atThreshold.id);
      await notifyExecutionFinished(over.id);
    }
    const notices = await noticesOf(people.spender!.userId);
    expect(notices.map((n) => [n.kind, n.executionId, n.title])).toEqual([["credit_threshold", over.id, "SEO audit used 101 credits"]]);
    expect(await emailsTo(people.spender!.email)).toHaveLength(1);
  });

  it("tells the workflow's creator too, and sends no email to who turned email off", async () => {
    const { people } = await createFreshWorkspace([
      { key: "creator", role: "member", preferences: { isEmailEnabled: false } },
      { key: "runner", role: "member" },
    ]);
    const db = await getDb();
    const [workflow] = await db
      .insert(workflows)
      .values({ workspaceId: people.creator!.workspaceId, name: "Nightly audit", agentId: "seo-audit", settings: {}, schedule: "0 2 * * *", createdBy: people.creator!.userId })
      .returning();
    const failed = await insertExecution(people.runner!, { status: "failed", workflowId: workflow!.id, triggeredBy: null });
    await notifyExecutionFinished(failed.id);
    const [notice] = await noticesOf(people.creator!.userId);
    expect(notice).toMatchObject({ kind: "failure", title: "SEO audit (workflow “Nightly audit”) failed" });
    expect(await emailsTo(people.creator!.email)).toEqual([]);
  });
});

describe("the notification centre", () => {
  it("lists a person's notices newest first, counts unread and marks them read", async () => {
    const { people } = await createFreshWorkspace([{ key: "a", role: "member" }, { key: "b", role: "member" }]);
    const first = await insertExecution(people.a!, { status: "failed" });
    const second = await insertExecution(people.a!, { status: "failed" });
    await notifyExecutionFinished(first.id);
    await notifyExecutionFinished(second.id);
    expect(await countUnreadNotifications(people.a!)).toBe(2);
    const listed = await listNotifications(people.a!);
    expect(listed).toHaveLength(2);
    expect(await markNotificationRead(people.b!, listed[0]!.id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await markNotificationRead(people.a!, listed[0]!.id)).toEqual({ ok: true });
    expect(await countUnreadNotifications(people.a!)).toBe(1);
    expect(await markAllNotificationsRead(people.a!)).toEqual({ ok: true, marked: 1 });
    expect((await listNotifications(people.a!)).every((n) => n.isRead)).toBe(true);
  });
});

describe("notification settings", () => {
  it("answers the defaults before anything is saved, then what was saved", async () => {
    const { people } = await createFreshWorkspace([{ key: "m", role: "member" }]);
    expect(await getNotificationPreferences(people.m!)).toMatchObject({ isFailureEnabled: true, completionMinMinutes: 5, isWeeklySummaryEnabled: false });
    const input = {
      isCompletionEnabled: true, completionMinMinutes: "15", isFailureEnabled: false, isWeeklySummaryEnabled: true,
      isCreditThresholdEnabled: true, creditThreshold: "250", isWorkspaceFailureEnabled: false, isEmailEnabled: true,
    };
    expect(await saveNotificationPreferences(people.m!, input)).toMatchObject({ ok: true });
    expect(await getNotificationPreferences(people.m!)).toMatchObject({ completionMinMinutes: 15, isFailureEnabled: false, creditThreshold: 250, isWeeklySummaryEnabled: true });
  });

  it("refuses invalid numbers with a sentence, and others' failures for members", async () => {
    const { people } = await createFreshWorkspace([{ key: "m", role: "member" }, { key: "admin", role: "admin" }]);
    const valid = {
      isCompletionEnabled: true, completionMinMinutes: 5, isFailureEnabled: true, isWeeklySummaryEnabled: false,
      isCreditThresholdEnabled: true, creditThreshold: 500, isWorkspaceFailureEnabled: false, isEmailEnabled: true,
    };
    expect(await saveNotificationPreferences(people.m!, { ...valid, creditThreshold: 0 })).toEqual({ ok: false, code: "invalid_input", message: "The credit threshold must be at least 1." });
    expect(await saveNotificationPreferences(people.m!, { ...valid, completionMinMinutes: 2.5 })).toMatchObject({ ok: false, code: "invalid_input", message: "Minutes must be a whole number." });
    expect(await saveNotificationPreferences(people.m!, { ...valid, isWorkspaceFailureEnabled: true })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await saveNotificationPreferences(people.admin!, { ...valid, isWorkspaceFailureEnabled: true })).toMatchObject({ ok: true });
    const db = await getDb();
    const rows = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, people.m!.userId));
    expect(rows).toEqual([]);
  });
});
