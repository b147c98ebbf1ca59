import { z } from "zod";
import type { ConnectionHealth } from "@/db/schema";

/**
 * What every store platform offers an agent: items in a scope, in a stable order, read in
 * batches; one field changed at a time; and its health. The demo store implements it over
 * this database; a real platform would sit beside it.
 */
export type ItemType = "page" | "product" | "day";

export type StoreItem = {
  type: ItemType;
  ref: string;
  label: string;
  /** Stable sort key across types: batches continue after the last key processed. */
  key: string;
  fields: Record<string, unknown>;
};

export const scopeSchema = z
  .object({
    mode: z.enum(["all", "collection", "items"]),
    collection: z.string().trim().min(1).max(100).optional(),
    itemIds: z.array(z.uuid("Each chosen item must be an item id.")).max(10_000).optional(),
    maxItems: z.coerce.number().int().min(1, "Process at least one item.").max(10_000, "At most 10,000 items per run."),
  })
  .refine((s) => s.mode !== "collection" || Boolean(s.collection), { message: "Choose a collection.", path: ["collection"] })
  .refine((s) => s.mode !== "items" || (s.itemIds?.length ?? 0) > 0, { message: "Choose at least one item.", path: ["itemIds"] });

export type Scope = z.infer<typeof scopeSchema>;

/** Which items an agent asks for within the scope. */
export type ItemQuery = { types: ItemType[]; scope: Scope; onlyWeakDescriptions?: boolean; days?: { until: string; count: number } };

export type ChangeResult = { ok: true } | { ok: false; reason: string };

export type PlatformHealth = { health: ConnectionHealth; rateLimitPerSecond: number | null; latencyMs: number | null };

export interface PlatformAdapter {
  health(): Promise<PlatformHealth>;
  countItems(query: ItemQuery): Promise<number>;
  listItems(query: ItemQuery, afterKey: string | null, limit: number): Promise<StoreItem[]>;
  readField(type: ItemType, ref: string, field: string): Promise<string | null>;
  /**
   * Sets `field` to `after` only if it still holds `expectedBefore`; refuses with a reason
   * otherwise. With `keepTitleDistinct`, also refuses a title another item of the store has (an
   * apply asks for that; a revert puts back whatever the item had, a shared title included).
   */
  applyChange(type: ItemType, ref: string, field: string, expectedBefore: string | null, after: string, options?: { keepTitleDistinct?: boolean }): Promise<ChangeResult>;
}

export type PlatformErrorCode = "connection_lost" | "rate_limited" | "timeout";

/** A failure of the platform itself (not of one item): the engine retries or fails the run with it. */
export class PlatformError extends Error {
  constructor(
    readonly code: PlatformErrorCode,
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = "PlatformError";
  }
}
