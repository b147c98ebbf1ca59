import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { asOneFunctionRun } from "@/inngest/test-engine";
import { eq, ne } from "drizzle-orm";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { emailOutbox, executionArchives, executions, notifications, workspaces } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { createFreshWorkspace, insertExecution } from "@/db/testing/fresh-workspace";
import { startExecution } from "@/lib/executions/start";
import { deliverEmail, maxSendAttempts, plannedRetry, queueEmail } from "@/lib/notifications/email";
import { setConnectionHealth } from "@/lib/platforms/health";
import { events } from "../client";
import { directStep, runExecutionInProcess } from "../embedded";
import { archiveExecutionsFunction } from "./archive-executions";
import { notifyExecutionFinishedFunction } from "./notify-execution-finished";
import { retryEmailsHandler } from "./retry-emails";
import { runAgentFunction } from "./run-agent";
import { sendWeeklySummariesFunction } from "./send-weekly-summaries";

type Received = { from: string; to: string[]; raw: string };
const received: Received[] = [];
let smtp: SMTPServer;

/** A real SMTP server on a free local port that keeps every message it accepts in `received`. */
async function startSmtpServer(onRcptTo?: SMTPServerOptions["onRcptTo"]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return server;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
});

afterAll(async () => {
  delete process.env.SMTP_URL;
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** The message's text as a person reads it (quoted-printable undone). */
function readable(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, "");
  return Buffer.from(unfolded.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8");
}

describe("execution.finished", () => {
  it("in the embedded mode, a run that loses its store connection alerts its runner, with no Inngest involved", async () => {
    const db = await getDb();
    const admin = await seededCtx("admin@acme.test");
    const sam = await seededCtx("sam@acme.test");
    const started = await startExecution(sam, { agentId: "performance-audit", settings: { scope: { mode: "all", maxItems: 12 }, device: "mobile" } });
    if (!started.ok) throw new Error(started.message);
    expect(await setConnectionHealth(admin, { health: "lost" })).toEqual({ ok: true });
    try {
      await runExecutionInProcess({ executionId: started.executionId, workspaceId: sam.workspaceId });
    } finally {
      await setConnectionHealth(admin, { health: "active" });
    }
    const [run] = await db.select().from(executions).where(eq(executions.id, started.executionId));
    expect(run!.status).toBe("failed");
    const notices = await db.select().from(notifications).where(eq(notifications.executionId, started.executionId));
    // Sam ran it; Acme's admin follows the workspace's failures (seeded preference).
    expect(notices.map((n) => [n.userId, n.kind]).sort()).toEqual([[admin.userId, "failure"], [sam.userId, "failure"]].sort());
    expect(notices[0]!.href).toBe(`/executions/${started.executionId}#troubleshooting-heading`);
  });

  it("sends real mail through SMTP when SMTP_URL is set, and a retried function never sends it twice", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.EMAIL_FROM = "Runlog <alerts@runlog.test>";
    try {
      const { people } = await createFreshWorkspace([{ key: "runner", role: "member" }]);
      const failed = await insertExecution(people.runner!, { status: "failed", errorMessage: "Too many requests to the store.", errorHint: "Lower the scope." });
      const before = received.length;
      const event = { name: events.executionFinished.name, data: { executionId: failed.id, workspaceId: failed.workspaceId } };
      const first = await new InngestTestEngine({ function: notifyExecutionFinishedFunction.definition }).execute({ events: [event] });
      expect(first.result).toEqual({ executionId: failed.id, notified: 1, emails: 1, webhooks: 0 });
      const retried = await new InngestTestEngine({ function: notifyExecutionFinishedFunction.definition }).execute({ events: [event] });
      expect(retried.result).toEqual({ executionId: failed.id, notified: 0, emails: 0, webhooks: 0 });

      const mails = received.slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.from).toBe("alerts@runlog.test");
      expect(mails[0]!.to).toEqual([people.runner!.email]);
      const text = readable(mails[0]!.raw);
      expect(text).toContain("Subject: Runlog: SEO audit failed");
      expect(text).toContain("Too many requests to the store. Lower the scope.");
      expect(text).toContain(`/executions/${failed.id}#troubleshooting-heading`);
      const db = await getDb();
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, people.runner!.email));
      expect(row).toMatchObject({ status: "sent", error: null });
      expect(row!.sentAt).toBeInstanceOf(Date);
    } finally {
      delete process.env.SMTP_URL;
      delete process.env.EMAIL_FROM;
    }
  });
});

describe("announcing a finished run with Inngest configured", () => {
  it("run-agent sends one execution.finished event, with an id that makes a resend count once, and handles nothing in-process", async () => {
    const admin = await seededCtx("admin@acme.test");
    const started = await startExecution(admin, { agentId: "performance-audit", settings: { scope: { mode: "all", maxItems: 3 }, device: "mobile" } });
    if (!started.ok) throw new Error(started.message);
    const data = { executionId: started.executionId, workspaceId: admin.workspaceId };
    // The test engine would really send the event to Inngest; it stands in for Inngest's answer.
    const { result, ctx } = await new InngestTestEngine({ function: runAgentFunction.definition, transformCtx: asOneFunctionRun }).execute({
      events: [{ name: events.executionQueued.name, data }],
      steps: [{ id: "announce-finished", handler: () => ({ ids: ["evt"] }) }],
    });
    expect(result).toEqual({ executionId: started.executionId, status: "finished" });
    expect(ctx.step.sendEvent).toHaveBeenCalledTimes(1);
    expect(ctx.step.sendEvent).toHaveBeenCalledWith("announce-finished", { id: `execution-finished-${started.executionId}`, name: events.executionFinished.name, data });
    const db = await getDb();
    expect(await db.select().from(notifications).where(eq(notifications.executionId, started.executionId))).toEqual([]);
  });
});

describe("the scheduled functions", () => {
  it("sends the weekly summary on Monday morning through the cron function", async () => {
    const { people } = await createFreshWorkspace([{ key: "reader", role: "member", preferences: { isWeeklySummaryEnabled: true } }]);
    const monday = new Date("2030-01-07T08:30:00Z");
    await insertExecution(people.reader!, { createdAt: new Date(monday.getTime() - 2 * 86_400_000), creditsCharged: 40 });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(monday);
    try {
      const { result } = await new InngestTestEngine({ function: sendWeeklySummariesFunction.definition }).execute();
      // No SMTP here: the email waits in the outbox rather than being sent.
      expect(result).toEqual({ sent: 1, emails: 0 });
    } finally {
      vi.useRealTimers();
    }
    const db = await getDb();
    const [summary] = await db.select().from(notifications).where(eq(notifications.userId, people.reader!.userId));
    expect(summary).toMatchObject({ kind: "weekly_summary", title: "Your week: 1 run, 0 failures, 40 credits" });
    const [email] = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, people.reader!.email));
    expect(email).toMatchObject({ status: "outbox", subject: "Runlog weekly summary: 1 run, 0 failures" });
  });

  it("archives what is past retention through the cron function", async () => {
    const db = await getDb();
    // Only this test's workspace is old enough to archive.
    await db.update(workspaces).set({ retentionSuccessDays: 3650, retentionFailureDays: 3650 });
    const { workspace, people } = await createFreshWorkspace([{ key: "owner", role: "admin" }]);
    await db.update(workspaces).set({ retentionSuccessDays: 365, retentionFailureDays: 90 }).where(eq(workspaces.id, workspace.id));
    const old = await insertExecution(people.owner!, { status: "failed", createdAt: new Date(Date.now() - 91 * 86_400_000), withRows: true });
    const recent = await insertExecution(people.owner!, { status: "failed", createdAt: new Date(Date.now() - 89 * 86_400_000) });
    const { result } = await new InngestTestEngine({ function: archiveExecutionsFunction.definition }).execute();
    expect(result).toEqual({ archived: 1, steps: 1 });
    const archived = await db.select({ id: executionArchives.executionId }).from(executionArchives).where(eq(executionArchives.workspaceId, workspace.id));
    expect(archived).toEqual([{ id: old.id }]);
    const [kept] = await db.select().from(executions).where(eq(executions.id, recent.id));
    expect(kept!.archivedAt).toBeNull();
    expect(await db.select().from(executionArchives).where(ne(executionArchives.workspaceId, workspace.id))).toEqual([]);
  });
});

describe("email the mail server turns away", () => {
  /** Recipients the test server answers "421 try again later" for, once per listed address. */
  const busyFor = new Set<string>();
  let busy: SMTPServer;
  let busyPort: number;

  beforeAll(async () => {
    busy = await startSmtpServer((address, _session, callback) => {
      if (address.address.startsWith("gone")) return callback(Object.assign(new Error("No such mailbox"), { responseCode: 550 }));
      if (busyFor.delete(address.address)) return callback(Object.assign(new Error("Too busy, try again later"), { responseCode: 421 }));
      callback();
    });
    busyPort = (busy.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });
  afterEach(() => {
    delete process.env.SMTP_URL;
  });

  async function queued(toAddress: string): Promise<string> {
    process.env.SMTP_URL = `smtp://127.0.0.1:${busyPort}`;
    const id = await queueEmail(await getDb(), { workspaceId: null, toAddress, subject: "Runlog: a run failed", textBody: "See the run.", dedupeKey: `test:${toAddress}` });
    return id!;
  }
  async function row(id: string) {
    const [email] = await (await getDb()).select().from(emailOutbox).where(eq(emailOutbox.id, id));
    return email!;
  }
  const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
  const deliveredTo = (address: string) => received.filter((mail) => mail.to.includes(address)).length;

  it("sends a message the server answered 'try again later' on the next retry after a minute, once", async () => {
    const address = `busy-${Date.now()}@acme.test`;
    busyFor.add(address);
    const id = await queued(address);

    expect(await deliverEmail(id)).toBe("retry_later");
    const waiting = await row(id);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1, sentAt: null });
    expect(waiting.error).toContain("421 Too busy");
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(plannedRetry(waiting)).toEqual({ attempt: 2, of: maxSendAttempts, at: waiting.nextAttemptAt });
    expect(deliveredTo(address)).toBe(0);

    // Not due yet: the retry job leaves it alone.
    await retryEmailsHandler({ step: directStep, now: new Date() });
    expect(deliveredTo(address)).toBe(0);

    await retryEmailsHandler({ step: directStep, now: minutesFromNow(2) });
    expect(deliveredTo(address)).toBe(1);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, error: null, nextAttemptAt: null });
    expect(plannedRetry(sent)).toBeNull();

    await retryEmailsHandler({ step: directStep, now: minutesFromNow(120) });
    expect(deliveredTo(address)).toBe(1);
  });

  it("sends an email whose sender stopped before trying, once it has waited ten minutes", async () => {
    const address = `orphan-${Date.now()}@acme.test`;
    await queued(address);
    await retryEmailsHandler({ step: directStep, now: minutesFromNow(1) });
    expect(deliveredTo(address)).toBe(0);
    await retryEmailsHandler({ step: directStep, now: minutesFromNow(11) });
    await retryEmailsHandler({ step: directStep, now: minutesFromNow(12) });
    expect(deliveredTo(address)).toBe(1);
  });

  it("gives up at once on a mailbox the server says does not exist", async () => {
    const address = `gone-${Date.now()}@acme.test`;
    const id = await queued(address);
    expect(await deliverEmail(id)).toBe("failed");
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1, nextAttemptAt: null });
    expect((await row(id)).error).toContain("550 No such mailbox");
    await retryEmailsHandler({ step: directStep, now: minutesFromNow(120) });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 1 });
  });

  it(`tries a server that is down ${maxSendAttempts} times, waiting longer each time, then marks the email failed`, async () => {
    const address = `down-${Date.now()}@acme.test`;
    const id = await queued(address);
    const closed = await startSmtpServer();
    const closedPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.SMTP_URL = `smtp://127.0.0.1:${closedPort}`;

    expect(await deliverEmail(id)).toBe("retry_later");
    const waits: number[] = [];
    let previous = await row(id);
    let now = Date.now();
    while (previous.status === "queued" && waits.length <= maxSendAttempts) {
      waits.push(Math.round((previous.nextAttemptAt!.getTime() - now) / 60_000));
      now = previous.nextAttemptAt!.getTime() + 1000;
      await retryEmailsHandler({ step: directStep, now: new Date(now) });
      previous = await row(id);
      now = Date.now();
    }
    expect(waits).toEqual([1, 5, 15, 60]);
    expect(previous).toMatchObject({ status: "failed", attempts: maxSendAttempts, nextAttemptAt: null });
    expect(previous.error).toContain("ECONNREFUSED");
  });
});
