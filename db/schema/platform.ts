import {
  date, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { workspaces } from "./workspaces";

export const connectionHealth = pgEnum("connection_health", ["active", "lost", "rate_limited", "slow"]);

/** A workspace's link to a store platform. The built-in kind is `demo`: a store kept in this database. */
export const platformConnections = pgTable(
  "platform_connections",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").notNull().default("demo"),
    name: text("name").notNull(),
    health: connectionHealth("health").notNull().default("active"),
    /** With health `rate_limited`: calls per second the platform accepts. */
    rateLimitPerSecond: integer("rate_limit_per_second"),
    /** With health `slow`: added latency per call, in milliseconds. */
    latencyMs: integer("latency_ms"),
    healthChangedAt: timestamp("health_changed_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [index("platform_connections_workspace_idx").on(t.workspaceId)],
);

export type ProductImage = { src: string; alt: string | null; bytes: number };
export type PageImage = ProductImage;

export const storeProducts = pgTable(
  "store_products",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => platformConnections.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    handle: text("handle").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    metaDescription: text("meta_description"),
    collection: text("collection").notNull(),
    vendor: text("vendor").notNull(),
    priceCents: integer("price_cents").notNull(),
    attributes: jsonb("attributes").$type<Record<string, string>>().notNull().default({}),
    images: jsonb("images").$type<ProductImage[]>().notNull().default([]),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("store_products_connection_sku_key").on(t.connectionId, t.sku),
    index("store_products_connection_collection_idx").on(t.connectionId, t.collection),
    // Which titles the store has already (the SEO audit's duplicates and new titles).
    index("store_products_connection_title_idx").on(t.connectionId, t.title),
  ],
);

export const storePages = pgTable(
  "store_pages",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => platformConnections.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    title: text("title").notNull(),
    metaDescription: text("meta_description"),
    headings: jsonb("headings").$type<{ level: number; text: string }[]>().notNull().default([]),
    bodyText: text("body_text").notNull().default(""),
    images: jsonb("images").$type<PageImage[]>().notNull().default([]),
    scriptCount: integer("script_count").notNull().default(0),
    scriptBytes: integer("script_bytes").notNull().default(0),
    htmlBytes: integer("html_bytes").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("store_pages_connection_path_key").on(t.connectionId, t.path), index("store_pages_connection_title_idx").on(t.connectionId, t.title)],
);

export const storeOrders = pgTable(
  "store_orders",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => platformConnections.id, { onDelete: "cascade" }),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
    totalCents: integer("total_cents").notNull(),
    itemCount: integer("item_count").notNull(),
    channel: text("channel").notNull(),
  },
  (t) => [index("store_orders_connection_placed_idx").on(t.connectionId, t.placedAt)],
);

export const storeTrafficDaily = pgTable(
  "store_traffic_daily",
  {
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => platformConnections.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    sessions: integer("sessions").notNull(),
    pageviews: integer("pageviews").notNull(),
    conversions: integer("conversions").notNull(),
    bounceRate: real("bounce_rate").notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.day] })],
);

export type PlatformConnection = typeof platformConnections.$inferSelect;
export type ConnectionHealth = (typeof connectionHealth.enumValues)[number];
export type StoreProduct = typeof storeProducts.$inferSelect;
export type StorePage = typeof storePages.$inferSelect;
