/**
 * Sending webhook deliveries. An event is queued as one delivery per subscribed webhook (keyed,
 * so a retried step queues nothing twice), sent at once by the Inngest function that raised it
 * (or the in-process backend), and retried with backoff by a cron — 30 s, 2 min, 10 min, 1 h,
 * 6 h — until it succeeds (2xx) or six attempts failed. Every attempt is kept for the delivery log.
 *
 * Signing: `Runlog-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the
 * webhook's secret>` (README → Webhooks has the receiver's recipe).
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { and, asc, eq, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhooks, workspaces, type Webhook } from "@/db/schema";
import { absoluteUrl } from "@/lib/notifications/email";
import { resolveWebhookTarget, type ResolvedTarget } from "./addresses";
import { awaitingApprovalEvent, executionWebhookEvents, type WebhookEvent, type WebhookEventBody } from "./events";

const maxAttempts = 6;
const backoffSeconds = [30, 120, 600, 3600, 21600];
const timeoutMs = 10_000;

/** Queues one delivery of the event to each of the workspace's webhooks that subscribed to it; answers their ids. */
async function queueWebhookEvent(workspaceId: string, event: WebhookEvent, body: WebhookEventBody, occurrence: string): Promise<string[]> {
  const db = await getDb();
  const subscribed = await db.select({ id: webhooks.id }).from(webhooks).where(and(eq(webhooks.workspaceId, workspaceId), sql`${event} = any(${webhooks.events})`));
  const ids: string[] = [];
  for (const webhook of subscribed) {
    const dedupeKey = `${event}:${occurrence}`;
    const [existing] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(eq(webhookDeliveries.webhookId, webhook.id), eq(webhookDeliveries.dedupeKey, dedupeKey)));
    if (existing) continue;
    const [row] = await db
      .insert(webhookDeliveries)
      .values({ webhookId: webhook.id, workspaceId, event, payload: { ...body.data, summary: body.summary, url: absoluteUrl(body.path) }, dedupeKey, nextAttemptAt: new Date() })
      .returning({ id: webhookDeliveries.id });
    ids.push(row!.id);
  }
  return ids;
}

/** A finished run's events, queued for the webhooks that want them. */
export async function queueExecutionWebhooks(executionId: string): Promise<string[]> {
  const found = await executionWebhookEvents(executionId);
  if (!found) return [];
  const ids: string[] = [];
  for (const { event, body, occurrence } of found.events) ids.push(...(await queueWebhookEvent(found.workspaceId, event, body, occurrence)));
  return ids;
}

/** The weekly approvals reminders the business alerts raised, queued for the webhooks that want them. */
export async function queueAwaitingApprovalWebhooks(waiting: { workspaceId: string; count: number; week: string }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const { workspaceId, count, week } of waiting) {
    const { event, body, occurrence } = awaitingApprovalEvent(count, week);
    ids.push(...(await queueWebhookEvent(workspaceId, event, body, `${workspaceId}:${occurrence}`)));
  }
  return ids;
}

/** The signature header's value for a body sent at `timestamp` (unix seconds). */
function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The request body in the webhook's format. */
function bodyFor(webhook: Pick<Webhook, "format">, delivery: { id: string; event: string; payload: Record<string, unknown>; createdAt: Date }): string {
  const { summary, url, ...data } = delivery.payload as { summary: string; url: string };
  if (webhook.format === "slack") return JSON.stringify({ text: `${summary} <${url}|Open in Runlog>` });
  return JSON.stringify({ id: delivery.id, event: delivery.event, createdAt: delivery.createdAt.toISOString(), url, summary, data });
}

export type DeliveryOutcome = "succeeded" | "retry_later" | "failed" | "already_handled";

/** Tries a pending delivery once and records the attempt. */
export async function deliverWebhook(deliveryId: string, now = new Date()): Promise<DeliveryOutcome> {
  const db = await getDb();
  // Claimed by pushing its next attempt out of reach: a concurrent retry finds nothing due.
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + timeoutMs * 3) })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .returning();
  if (!delivery) return "already_handled";
  const [webhook] = await db
    .select({ webhook: webhooks, allowPrivate: workspaces.allowPrivateWebhooks })
    .from(webhooks)
    .innerJoin(workspaces, eq(workspaces.id, webhooks.workspaceId))
    .where(eq(webhooks.id, delivery.webhookId));
  const started = performance.now();
  const finish = async (attempt: { responseStatus?: number; responseBody?: string; error?: string; isSuccess: boolean }, isFinal: boolean): Promise<DeliveryOutcome> => {
    const outcome: DeliveryOutcome = attempt.isSuccess ? "succeeded" : isFinal || delivery.attempts >= maxAttempts ? "failed" : "retry_later";
    await db.transaction(async (tx) => {
      await tx.insert(webhookAttempts).values({ deliveryId, at: now, durationMs: Math.round(performance.now() - started), ...attempt });
      await tx
        .update(webhookDeliveries)
        .set(outcome === "retry_later"
          ? { nextAttemptAt: new Date(now.getTime() + backoffSeconds[delivery.attempts - 1]! * 1000) }
          : { status: outcome === "succeeded" ? "succeeded" : "failed", nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, deliveryId));
    });
    return outcome;
  };
  if (!webhook) return finish({ error: "The webhook was removed.", isSuccess: false }, true);
  const resolved = await resolveWebhookTarget(webhook.webhook.url, webhook.allowPrivate);
  // A refused address is refused again next time: no retry.
  if (!resolved.ok) return finish({ error: resolved.message, isSuccess: false }, resolved.code === "forbidden");
  const body = bodyFor(webhook.webhook, delivery);
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const answer = await post(resolved.target, body, {
      "Content-Type": "application/json",
      "User-Agent": "Runlog-Webhooks/1",
      "Runlog-Event": delivery.event,
      "Runlog-Delivery": delivery.id,
      "Runlog-Signature": signWebhookBody(webhook.webhook.secret, timestamp, body),
    });
    const isSuccess = answer.status >= 200 && answer.status < 300;
    return finish({ responseStatus: answer.status, responseBody: answer.body, isSuccess, error: isSuccess ? undefined : `The endpoint answered ${answer.status}.` }, false);
  } catch (error) {
    return finish({ error: `No answer: ${error instanceof Error ? error.message : String(error)}`, isSuccess: false }, false);
  }
}

/** Deliveries whose next attempt is due (the retry cron). */
export async function listDueWebhookDeliveries(now: Date, limit = 100): Promise<string[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** POSTs to the checked address itself (the lookup is pinned), following no redirects. */
function post(target: ResolvedTarget, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target.url, { method: "POST", headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, lookup: pinned, timeout: timeoutMs }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (text.length < 500) text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text.slice(0, 500) }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on("error", reject);
    request.end(body);
  });
}
