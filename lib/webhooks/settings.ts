/**
 * Settings → Webhooks (admins): endpoints with the events they want, their format and secret;
 * whether private addresses are allowed; the delivery log, and sending a delivery again.
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhooks, workspaces } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { recordAudit } from "@/lib/audit/record";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { createOnce, removedSince } from "@/lib/submissions/create-once";
import { parseWebhookUrl, resolveWebhookTarget } from "./addresses";
import { deliverWebhook, type DeliveryOutcome } from "./deliver";
import { webhookEventNames } from "./events";

const adminsOnly = failure("forbidden", "Only workspace admins can manage webhooks.");

const webhookInput = z.object({
  url: z.string().min(1, "Enter the endpoint's URL.").max(2000, "That URL is longer than 2,000 characters."),
  events: z.array(z.enum(webhookEventNames, { error: `Events are ${webhookEventNames.join(", ")}.` })).min(1, "Choose at least one event."),
  format: z.enum(["json", "slack"], { error: "The format is json or slack." }).default("json"),
  secret: z.string().trim().max(200, "Keep the secret under 200 characters.").refine((s) => s === "" || s.length >= 16, "A secret has at least 16 characters (leave it empty for a generated one).").default(""),
});

export async function getWebhookSettings(ctx: Ctx) {
  if (!isAdmin(ctx)) return null;
  const db = await getDb();
  const [workspace] = await db.select({ allowPrivate: workspaces.allowPrivateWebhooks }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  const hooks = await db.select().from(webhooks).where(eq(webhooks.workspaceId, ctx.workspaceId)).orderBy(desc(webhooks.createdAt));
  return { allowPrivate: workspace?.allowPrivate ?? false, webhooks: hooks };
}

/** A new endpoint, or the one a form's first try added (`isRepeat`); its secret is shown to admins under it either way. */
type CreatedWebhook = { id: string; secret: string; isRepeat: boolean };

/**
 * Adds an endpoint; refuses a URL that is not http(s) or resolves to a private address the
 * workspace does not allow. A form's try sent again answers the webhook its first try added.
 */
export async function createWebhook(ctx: Ctx, raw: unknown): Promise<Outcome<CreatedWebhook>> {
  if (!isAdmin(ctx) || ctx.apiToken) return adminsOnly;
  return createOnce<CreatedWebhook>(ctx, "webhook", raw, {
    create: async (claim) => {
      const parsed = webhookInput.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
      const form = parseWebhookUrl(parsed.data.url);
      if (!form.ok) return form;
      const db = await getDb();
      const [workspace] = await db.select({ allowPrivate: workspaces.allowPrivateWebhooks }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
      const target = await resolveWebhookTarget(form.url.href, workspace?.allowPrivate ?? false);
      if (!target.ok) return failure("invalid_input", target.message);
      const secret = parsed.data.secret || `whsec_${randomBytes(32).toString("base64url")}`;
      const events = [...new Set(parsed.data.events)];
      const id = await db.transaction(async (tx) => {
        const [row] = await tx.insert(webhooks).values({ id: await claim(tx), workspaceId: ctx.workspaceId, url: form.url.href, events, format: parsed.data.format, secret, createdBy: ctx.userId }).returning({ id: webhooks.id });
        await recordAudit(tx, ctx, { action: "webhook.created", target: row!.id, data: { url: form.url.href, events: events.join(", "), format: parsed.data.format } });
        return row!.id;
      });
      return { ok: true, id, secret, isRepeat: false };
    },
    // The secret is no secret to the workspace's admins: the page shows it under the endpoint.
    repeat: async (createdId) => {
      const db = await getDb();
      const [hook] = await db.select({ id: webhooks.id, secret: webhooks.secret }).from(webhooks).where(and(eq(webhooks.id, createdId), eq(webhooks.workspaceId, ctx.workspaceId)));
      return hook ? { ok: true, ...hook, isRepeat: true } : removedSince("webhook");
    },
  });
}

export async function deleteWebhook(ctx: Ctx, rawId: unknown): Promise<Outcome> {
  if (!isAdmin(ctx) || ctx.apiToken) return adminsOnly;
  const id = z.uuid().safeParse(rawId);
  if (!id.success) return failure("not_found", "Webhook not found.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(webhooks).where(and(eq(webhooks.id, id.data), eq(webhooks.workspaceId, ctx.workspaceId))).returning({ url: webhooks.url });
    if (!gone) return failure("not_found", "Webhook not found.");
    await recordAudit(tx, ctx, { action: "webhook.deleted", target: id.data, data: { url: gone.url } });
    return { ok: true as const };
  });
}

export async function setPrivateWebhooksAllowed(ctx: Ctx, raw: unknown): Promise<Outcome> {
  if (!isAdmin(ctx) || ctx.apiToken) return adminsOnly;
  const isAllowed = z.boolean().safeParse(raw);
  if (!isAllowed.success) return failure("invalid_input", "Choose on or off.");
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(workspaces).set({ allowPrivateWebhooks: isAllowed.data }).where(eq(workspaces.id, ctx.workspaceId));
    await recordAudit(tx, ctx, { action: "settings.webhooks_changed", target: ctx.workspaceId, data: { allowPrivateWebhooks: isAllowed.data } });
  });
  return { ok: true };
}

/** The newest deliveries of the workspace's webhooks (50), each with its attempts. */
export async function listWebhookDeliveries(ctx: Ctx, limit = 50) {
  if (!isAdmin(ctx)) return [];
  const db = await getDb();
  const deliveries = await db
    .select({ delivery: webhookDeliveries, url: webhooks.url })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.workspaceId, ctx.workspaceId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
  const ids = deliveries.map((d) => d.delivery.id);
  const attempts = ids.length ? await db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(webhookAttempts.id) : [];
  return deliveries.map(({ delivery, url }) => ({ ...delivery, url, attemptLog: attempts.filter((a) => a.deliveryId === delivery.id) }));
}

/** Sends a delivery's event again, now, as a new delivery (the log keeps both). */
export async function replayWebhookDelivery(ctx: Ctx, rawId: unknown): Promise<Outcome<{ deliveryId: string; outcome: DeliveryOutcome }>> {
  if (!isAdmin(ctx) || ctx.apiToken) return adminsOnly;
  const id = z.uuid().safeParse(rawId);
  if (!id.success) return failure("not_found", "Delivery not found.");
  const db = await getDb();
  const deliveryId = await db.transaction(async (tx) => {
    const [original] = await tx.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id.data), eq(webhookDeliveries.workspaceId, ctx.workspaceId)));
    if (!original) return null;
    const [copy] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId: original.webhookId, workspaceId: original.workspaceId, event: original.event, payload: original.payload, dedupeKey: `replay:${randomBytes(8).toString("hex")}`, replayOf: original.id, nextAttemptAt: new Date() })
      .returning({ id: webhookDeliveries.id });
    await recordAudit(tx, ctx, { action: "webhook.replayed", target: original.webhookId, data: { event: original.event, deliveryId: original.id } });
    return copy!.id;
  });
  if (!deliveryId) return failure("not_found", "Delivery not found.");
  return { ok: true, deliveryId, outcome: await deliverWebhook(deliveryId) };
}
