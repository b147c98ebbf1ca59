import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { users, workspaces } from "./workspaces";

/** `json`: the signed event document; `slack`: `{ "text": … }` for a Slack (or compatible) incoming webhook. */
export const webhookFormat = pgEnum("webhook_format", ["json", "slack"]);
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "succeeded", "failed"]);

/** An admin's endpoint for a workspace's events, with the secret its deliveries are signed with. */
export const webhooks = pgTable(
  "webhooks",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    format: webhookFormat("format").notNull().default("json"),
    /** Needed in clear to sign each delivery (HMAC-SHA256); shown to the workspace's admins only. */
    secret: text("secret").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("webhooks_workspace_idx").on(t.workspaceId)],
);

/** One event for one webhook; `replayOf` when an admin sent it again. Retried with backoff until it succeeds or runs out of attempts. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    webhookId: uuid("webhook_id").notNull().references(() => webhooks.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    event: text("event").notNull(),
    /** What happened, as the JSON format sends it under `data`. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** One delivery per webhook and event occurrence, so a retried step queues nothing twice. */
    dedupeKey: text("dedupe_key").notNull(),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    replayOf: uuid("replay_of"),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt.desc()),
    index("webhook_deliveries_retry_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_dedupe_idx").on(t.webhookId, t.dedupeKey),
  ],
);

/** Every try of a delivery: what the endpoint answered, or why nothing was sent. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id").notNull().references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer("response_status"),
    /** The first 500 characters of the answer. */
    responseBody: text("response_body"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    isSuccess: boolean("is_success").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.at)],
);

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
