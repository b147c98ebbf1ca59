import { and, asc, count, eq, gt, inArray, lte, ne, sql, type SQL } from "drizzle-orm";
import { getDb, type DbOrTx, type Tx } from "@/db/client";
import { platformConnections, storePages, storeProducts, storeTrafficDaily } from "@/db/schema";
import { PlatformError, type ChangeResult, type ItemQuery, type ItemType, type PlatformAdapter, type PlatformHealth, type StoreItem } from "./adapter";

/**
 * The built-in platform: a store kept in this database. Its health is real state that an
 * admin sets, and every call honours it: a lost connection refuses, a rate-limited one
 * refuses calls over its budget per second, a slow one answers late.
 */
export class DemoStoreAdapter implements PlatformAdapter {
  constructor(
    private readonly workspaceId: string,
    private readonly connectionId: string,
  ) {}

  async health(): Promise<PlatformHealth> {
    const db = await getDb();
    const [row] = await db
      .select({ health: platformConnections.health, rateLimitPerSecond: platformConnections.rateLimitPerSecond, latencyMs: platformConnections.latencyMs })
      .from(platformConnections)
      .where(and(eq(platformConnections.id, this.connectionId), eq(platformConnections.workspaceId, this.workspaceId)));
    if (!row) throw new PlatformError("connection_lost", "The store connection no longer exists.");
    return row;
  }

  async countItems(query: ItemQuery): Promise<number> {
    await this.call();
    const db = await getDb();
    let total = 0;
    for (const type of query.types) {
      if (type === "day") {
        total += query.days?.count ?? 0;
        continue;
      }
      const table = type === "page" ? storePages : storeProducts;
      const [row] = await db.select({ n: count() }).from(table).where(this.scopeFilter(type, query));
      total += row?.n ?? 0;
    }
    return Math.min(total, query.scope.maxItems);
  }

  async listItems(query: ItemQuery, afterKey: string | null, limit: number): Promise<StoreItem[]> {
    await this.call();
    const db = await getDb();
    const items: StoreItem[] = [];
    for (const type of [...query.types].sort()) {
      if (items.length >= limit) break;
      const prefix = `${type}:`;
      if (afterKey && afterKey > `${prefix}~`) continue; // every item of this type came before the cursor
      const after = afterKey?.startsWith(prefix) ? afterKey.slice(prefix.length) : null;
      const room = limit - items.length;
      if (type === "day") {
        if (!query.days) continue;
        const until = query.days.until;
        const rows = await db
          .select()
          .from(storeTrafficDaily)
          .where(and(eq(storeTrafficDaily.connectionId, this.connectionId), lte(storeTrafficDaily.day, until), gt(storeTrafficDaily.day, sql`(${until}::date - ${query.days.count}::int)`), after ? gt(storeTrafficDaily.day, after) : undefined))
          .orderBy(asc(storeTrafficDaily.day))
          .limit(room);
        items.push(...rows.map((r) => ({ type, ref: r.day, label: r.day, key: `${prefix}${r.day}`, fields: { ...r } })));
      } else if (type === "page") {
        const rows = await db.select().from(storePages).where(and(this.scopeFilter(type, query), after ? gt(storePages.id, after) : undefined)).orderBy(asc(storePages.id)).limit(room);
        items.push(...rows.map((r) => ({ type, ref: r.id, label: r.path, key: `${prefix}${r.id}`, fields: { ...r } })));
      } else {
        const rows = await db.select().from(storeProducts).where(and(this.scopeFilter(type, query), after ? gt(storeProducts.id, after) : undefined)).orderBy(asc(storeProducts.id)).limit(room);
        items.push(...rows.map((r) => ({ type, ref: r.id, label: r.title, key: `${prefix}${r.id}`, fields: { ...r } })));
      }
    }
    return items;
  }

  async readField(type: ItemType, ref: string, field: string): Promise<string | null> {
    await this.call();
    const db = await getDb();
    return (await this.readForUpdate(db, type, ref, field, false))?.value ?? null;
  }

  async applyChange(type: ItemType, ref: string, field: string, expectedBefore: string | null, after: string, options: { keepTitleDistinct?: boolean } = {}): Promise<ChangeResult> {
    await this.call();
    const db = await getDb();
    return db.transaction(async (tx) => {
      const current = await this.readForUpdate(tx, type, ref, field, true);
      if (!current) return { ok: false, reason: "The item no longer exists in the store." };
      if (current.value === after) return { ok: true }; // already holds the new value: applying again changes nothing
      if ((current.value ?? "") !== (expectedBefore ?? "")) {
        return { ok: false, reason: "The store value changed since the agent ran; review it before applying." };
      }
      if (field === "title" && options.keepTitleDistinct) {
        const holder = await this.otherItemTitled(tx, after, ref);
        if (holder) return { ok: false, reason: `“${after}” is already the title of ${holder} in the store; two items with one title compete in search results. Edit this title, or rename the other item, then apply again.` };
      }
      await current.write(after);
      return { ok: true };
    });
  }

  /**
   * Which other product or page of the store has `title`, in words, if any. Titles set this way
   * take turns per store until their transaction ends, so two applies at once cannot both give
   * one title to two items.
   */
  private async otherItemTitled(tx: Tx, title: string, ref: string): Promise<string | null> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`store titles ${this.connectionId}`}))`);
    const [product] = await tx.select({ sku: storeProducts.sku }).from(storeProducts)
      .where(and(eq(storeProducts.connectionId, this.connectionId), eq(storeProducts.title, title), ne(storeProducts.id, ref))).limit(1);
    if (product) return `the product ${product.sku}`;
    const [page] = await tx.select({ path: storePages.path }).from(storePages)
      .where(and(eq(storePages.connectionId, this.connectionId), eq(storePages.title, title), ne(storePages.id, ref))).limit(1);
    return page ? `the page ${page.path}` : null;
  }

  /** Honours the connection's health for one call. */
  private async call(): Promise<void> {
    const { health, rateLimitPerSecond, latencyMs } = await this.health();
    if (health === "lost") throw new PlatformError("connection_lost", "The store connection is lost: the platform refused the call.");
    if (health === "rate_limited") takeCallBudget(this.connectionId, rateLimitPerSecond ?? 0);
    if (health === "slow" && latencyMs) {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      // A connection that dropped while the call was waiting fails the call.
      if ((await this.health()).health === "lost") throw new PlatformError("connection_lost", "The store connection was lost during the call.");
    }
  }

  private scopeFilter(type: "page" | "product", query: ItemQuery): SQL {
    const { scope } = query;
    if (type === "page") {
      const base = and(eq(storePages.workspaceId, this.workspaceId), eq(storePages.connectionId, this.connectionId))!;
      if (scope.mode === "collection") return sql`false`;
      if (scope.mode === "items") return and(base, inArray(storePages.id, scope.itemIds ?? []))!;
      return base;
    }
    const weak = sql`coalesce(array_length(regexp_split_to_array(nullif(trim(${storeProducts.description}), ''), '\\s+'), 1), 0) < 20`;
    return and(
      eq(storeProducts.workspaceId, this.workspaceId),
      eq(storeProducts.connectionId, this.connectionId),
      scope.mode === "collection" ? eq(storeProducts.collection, scope.collection ?? "") : undefined,
      scope.mode === "items" ? inArray(storeProducts.id, scope.itemIds ?? []) : undefined,
      query.onlyWeakDescriptions ? weak : undefined,
    )!;
  }

  private async readForUpdate(tx: DbOrTx, type: ItemType, ref: string, field: string, lock: boolean) {
    if (type === "day") return null;
    const table = type === "page" ? storePages : storeProducts;
    const where = and(eq(table.id, ref), eq(table.workspaceId, this.workspaceId), eq(table.connectionId, this.connectionId));
    const query = tx.select().from(table).where(where);
    const [row] = lock ? await query.for("update") : await query;
    if (!row) return null;
    const image = /^images\.(\d+)\.(alt|bytes)$/.exec(field);
    if (image) {
      const images = [...row.images];
      const index = Number(image[1]);
      const target = images[index];
      if (!target) return null;
      const key = image[2] as "alt" | "bytes";
      return {
        value: target[key] === null ? null : String(target[key]),
        write: async (value: string) => {
          images[index] = { ...target, [key]: key === "bytes" ? Number(value) : value };
          await tx.update(table).set({ images, updatedAt: sql`now()` }).where(where);
        },
      };
    }
    const columns: Record<string, "title" | "metaDescription" | "description"> = { title: "title", meta_description: "metaDescription", description: "description" };
    const column = columns[field];
    if (!column || (column === "description" && type !== "product")) return null;
    const value = (row as Record<string, unknown>)[column] as string | null;
    return {
      value,
      write: async (next: string) => {
        await tx.update(table).set({ [column]: next, updatedAt: sql`now()` }).where(where);
      },
    };
  }
}

// Calls in the last second per connection: the demo platform's rate limit is per process,
// which is what one app instance would see of a real platform's per-client quota.
const recentCalls = new Map<string, number[]>();

function takeCallBudget(connectionId: string, perSecond: number): void {
  const now = Date.now();
  const calls = (recentCalls.get(connectionId) ?? []).filter((at) => now - at < 1000);
  if (calls.length >= perSecond) {
    recentCalls.set(connectionId, calls);
    const retryAfterMs = calls.length ? 1000 - (now - calls[0]!) : 1000;
    throw new PlatformError("rate_limited", `The platform allows ${perSecond} calls per second and answered 429 Too Many Requests.`, retryAfterMs);
  }
  calls.push(now);
  recentCalls.set(connectionId, calls);
}

