import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, webhooks } from "@/db/schema";
import { createFreshWorkspace, insertExecution } from "@/db/testing/fresh-workspace";
import { directStep } from "@/inngest/embedded";
import { notifyExecutionFinishedHandler } from "@/inngest/functions/notify-execution-finished";
import { retryWebhooksHandler } from "@/inngest/functions/retry-webhooks";
import { isPrivateAddress } from "./addresses";
import { deliverWebhook, listDueWebhookDeliveries, queueExecutionWebhooks } from "./deliver";
import { createWebhook, listWebhookDeliveries, replayWebhookDelivery, setPrivateWebhooksAllowed } from "./settings";

/** A receiver as a customer would write it: checks the signature by the README's recipe, then answers what the test asks. */
type Received = { path: string; headers: http.IncomingHttpHeaders; body: string; isSignatureValid: boolean };
const received: Received[] = [];
const answers: number[] = [];
let secretFor: Record<string, string> = {};
let receiver: http.Server;
let base: string;

function verifies(secret: string, header: string | undefined, body: string): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300 || !parts.v1) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${t}.${body}`).digest("hex"));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url!, headers: request.headers, body, isSignatureValid: verifies(secretFor[request.url!] ?? "", request.headers["runlog-signature"] as string | undefined, body) });
      response.writeHead(answers.shift() ?? 200, { "content-type": "text/plain" }).end("thanks");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function workspaceWithHook(path: string, input: { events: string[]; format?: "json" | "slack"; allowPrivate?: boolean }) {
  const { people } = await createFreshWorkspace([{ key: "admin", role: "admin", preferences: { isCreditThresholdEnabled: true, creditThreshold: 5 } }]);
  const admin = people.admin!;
  if (input.allowPrivate !== false) expect(await setPrivateWebhooksAllowed(admin, true)).toEqual({ ok: true });
  const created = await createWebhook(admin, { url: `${base}${path}`, events: input.events, format: input.format ?? "json", secret: "" });
  if (!created.ok) throw new Error(created.message);
  secretFor[path] = created.secret;
  return { admin, webhookId: created.id, secret: created.secret };
}

describe("webhooks", () => {
  it("sends a finished run's events, signed, to a real receiver that verifies the signature", async () => {
    secretFor = {};
    const { admin, secret } = await workspaceWithHook("/finished", { events: ["execution.finished", "credits.threshold_exceeded"] });
    expect(secret).toMatch(/^whsec_/);
    const run = await insertExecution(admin, { status: "completed", creditsCharged: 9 });
    const before = received.length;
    await notifyExecutionFinishedHandler({ event: { data: { executionId: run.id, workspaceId: admin.workspaceId } }, step: directStep });
    const got = received.slice(before);
    expect(got.map((r) => r.headers["runlog-event"]).sort()).toEqual(["credits.threshold_exceeded", "execution.finished"]);
    for (const request of got) expect(request.isSignatureValid).toBe(true);
    const finished = JSON.parse(got.find((r) => r.headers["runlog-event"] === "execution.finished")!.body);
    expect(finished).toMatchObject({ event: "execution.finished", data: { execution: { id: run.id, status: "completed", credits: { charged: 9 } } } });
    expect(finished.url).toMatch(new RegExp(`/executions/${run.id}$`));
    expect(finished.summary).toMatch(/SEO audit completed: 2 items processed, 9 credits charged\./);

    // Handling the same event again sends nothing twice.
    await notifyExecutionFinishedHandler({ event: { data: { executionId: run.id, workspaceId: admin.workspaceId } }, step: directStep });
    expect(received.length).toBe(before + 2);
    const log = await listWebhookDeliveries(admin);
    expect(log.map((d) => [d.event, d.status, d.attemptLog.map((a) => a.responseStatus)])).toEqual(expect.arrayContaining([["execution.finished", "succeeded", [200]]]));
    // A tampered body fails the receiver's check.
    expect(verifies(secret, got[0]!.headers["runlog-signature"] as string, got[0]!.body.replace("completed", "failed"))).toBe(false);
  });

  it("retries after a 500 with backoff, keeps every attempt in the log, and replays on request", async () => {
    const { admin } = await workspaceWithHook("/flaky", { events: ["execution.failed"] });
    const run = await insertExecution(admin, { status: "failed", creditsCharged: 0, errorCode: "connection_lost", errorMessage: "The store connection was lost." });
    const [deliveryId] = await queueExecutionWebhooks(run.id);
    const now = new Date();
    answers.push(500);
    expect(await deliverWebhook(deliveryId!, now)).toBe("retry_later");
    expect(await listDueWebhookDeliveries(new Date(now.getTime() + 29_000))).not.toContain(deliveryId);
    const later = new Date(now.getTime() + 31_000);
    expect(await listDueWebhookDeliveries(later)).toContain(deliveryId);
    const retried = await retryWebhooksHandler({ step: directStep, now: later });
    expect(retried.outcomes.succeeded).toBeGreaterThanOrEqual(1);
    const [entry] = (await listWebhookDeliveries(admin)).filter((d) => d.id === deliveryId);
    expect(entry).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(entry!.attemptLog.map((a) => [a.responseStatus, a.isSuccess, a.error])).toEqual([[500, false, "The endpoint answered 500."], [200, true, null]]);
    const flaky = received.filter((r) => r.path === "/flaky");
    expect(flaky).toHaveLength(2);
    expect(flaky.every((r) => r.isSignatureValid)).toBe(true);
    expect(JSON.parse(flaky[1]!.body)).toMatchObject({ event: "execution.failed", data: { execution: { error: { code: "connection_lost" } } } });

    const replayed = await replayWebhookDelivery(admin, deliveryId);
    expect(replayed).toMatchObject({ ok: true, outcome: "succeeded" });
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    const log = await listWebhookDeliveries(admin);
    expect(log.find((d) => d.replayOf === deliveryId)).toMatchObject({ status: "succeeded", event: "execution.failed" });
  });

  it("sends a Slack-compatible text with a link to the run", async () => {
    const { admin } = await workspaceWithHook("/slack", { events: ["execution.finished"], format: "slack" });
    const run = await insertExecution(admin, { status: "partial", itemsFailed: 1, itemsProcessed: 1, creditsCharged: 3 });
    const [deliveryId] = await queueExecutionWebhooks(run.id);
    expect(await deliverWebhook(deliveryId!)).toBe("succeeded");
    const body = JSON.parse(received.filter((r) => r.path === "/slack").at(-1)!.body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toMatch(new RegExp(`^SEO audit finished with some items failed: 1 item processed, 3 credits charged\\. <http[^|]+/executions/${run.id}\\|Open in Runlog>$`));
  });

  it("refuses loopback, private and link-local addresses, also behind a name, and delivers nothing there", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }]);
    const admin = people.admin!;
    for (const url of [`${base}/private`, "http://10.1.2.3/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/", "http://192.168.1.20/", "http://localhost:3000/api/health", "http://[::ffff:127.0.0.1]/"]) {
      const refused = await createWebhook(admin, { url, events: ["execution.finished"] });
      expect(refused, url).toMatchObject({ ok: false, code: "invalid_input" });
      expect((refused as { message: string }).message, url).toMatch(/resolves to .*private, loopback or link-local address/);
    }
    expect(await createWebhook(admin, { url: "ftp://example.com/hook", events: ["execution.finished"] })).toMatchObject({ ok: false, message: "A webhook URL starts with https:// (or http://)." });
    expect(await createWebhook(admin, { url: "https://example.com/hook", events: ["run.done"] })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(["8.8.8.8", "2606:4700:4700::1111"].map(isPrivateAddress)).toEqual([false, false]);
    expect(["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "0.0.0.0"].every(isPrivateAddress)).toBe(true);

    // Allowed when it was created, then an admin turned private addresses off: the delivery fails at once, unsent, unretried.
    await setPrivateWebhooksAllowed(admin, true);
    const created = await createWebhook(admin, { url: `${base}/private`, events: ["execution.finished"] });
    expect(created.ok).toBe(true);
    await setPrivateWebhooksAllowed(admin, false);
    const run = await insertExecution(admin, { status: "completed" });
    const [deliveryId] = await queueExecutionWebhooks(run.id);
    expect(await deliverWebhook(deliveryId!)).toBe("failed");
    expect(received.filter((r) => r.path === "/private")).toEqual([]);
    const [entry] = (await listWebhookDeliveries(admin)).filter((d) => d.id === deliveryId);
    expect(entry!.attemptLog[0]!.error).toMatch(/^127\.0\.0\.1 resolves to 127\.0\.0\.1, a private, loopback or link-local address/);
    expect(entry!.nextAttemptAt).toBeNull();
  });

  it("lets only admins manage webhooks", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    expect(await createWebhook(people.member!, { url: "https://example.com/hook", events: ["execution.finished"] })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await setPrivateWebhooksAllowed(people.member!, true)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await listWebhookDeliveries(people.member!)).toEqual([]);
  });

  it("adds one webhook for a form's try sent twice, one after the other or at once, and audits it once; another admin's same id adds their own", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "other", role: "admin" }]);
    const admin = people.admin!;
    await setPrivateWebhooksAllowed(admin, true);
    const db = await getDb();
    const hooks = async () => (await db.select({ id: webhooks.id, url: webhooks.url }).from(webhooks).where(eq(webhooks.workspaceId, admin.workspaceId))).sort((a, b) => a.url.localeCompare(b.url));
    const audited = async (id: string) => (await db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "webhook.created")))).length;
    const input = { url: `${base}/once`, events: ["execution.finished"], format: "json", secret: "", submissionId: randomUUID() };

    const first = await createWebhook(admin, input);
    if (!first.ok) throw new Error(first.message);
    expect(first.isRepeat).toBe(false);
    // Sent again after its answer was lost, what the form holds changed or not: the first one's answer.
    expect(await createWebhook(admin, input)).toEqual({ ok: true, id: first.id, secret: first.secret, isRepeat: true });
    expect(await createWebhook(admin, { ...input, url: `${base}/edited-meanwhile` })).toEqual({ ok: true, id: first.id, secret: first.secret, isRepeat: true });
    expect(await hooks()).toEqual([{ id: first.id, url: `${base}/once` }]);
    expect(await audited(first.id)).toBe(1);

    const atOnce = { ...input, url: `${base}/at-once`, submissionId: randomUUID() };
    const both = await Promise.all([createWebhook(admin, atOnce), createWebhook(admin, atOnce)]);
    expect(both.map((answer) => answer.ok)).toEqual([true, true]);
    const made = both.filter((answer) => answer.ok && !answer.isRepeat);
    expect(made).toHaveLength(1);
    expect(both.map((answer) => answer.ok && answer.id)).toEqual([made[0]!.ok && made[0]!.id, made[0]!.ok && made[0]!.id]);
    expect((await hooks()).map((hook) => hook.url)).toEqual([`${base}/at-once`, `${base}/once`]);
    expect(await audited((made[0] as { id: string }).id)).toBe(1);

    // The same id from another admin, or from another workspace, is theirs alone.
    const others = await createWebhook(people.other!, { ...atOnce, url: `${base}/others` });
    expect(others).toMatchObject({ ok: true, isRepeat: false });
    expect((others as { id: string }).id).not.toBe((made[0] as { id: string }).id);
    const { people: elsewhere } = await createFreshWorkspace([{ key: "admin", role: "admin" }]);
    await setPrivateWebhooksAllowed(elsewhere.admin!, true);
    expect(await createWebhook(elsewhere.admin!, { ...atOnce, url: `${base}/elsewhere` })).toMatchObject({ ok: true, isRepeat: false });
    expect((await hooks()).map((hook) => hook.url)).toEqual([`${base}/at-once`, `${base}/once`, `${base}/others`]);

    // Without an id (a page from before, a post before the page's script ran), each try adds one, as before.
    const unkeyed = { ...input, url: `${base}/unkeyed`, submissionId: undefined };
    expect(await createWebhook(admin, unkeyed)).toMatchObject({ ok: true, isRepeat: false });
    expect(await createWebhook(admin, unkeyed)).toMatchObject({ ok: true, isRepeat: false });
    expect((await hooks()).filter((hook) => hook.url === `${base}/unkeyed`)).toHaveLength(2);
    expect(await createWebhook(admin, { ...input, submissionId: "not-an-id" })).toMatchObject({ ok: false, code: "invalid_input" });
  });
});
