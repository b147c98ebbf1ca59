/**
 * The one place that decides which PostgreSQL the app talks to:
 * `DATABASE_URL` set → a server through postgres.js; unset → embedded PGlite in a
 * local folder (`PGLITE_DIR`, default `.data/pglite`). Nothing above `db/` knows which.
 * The client is created on first use, never at import, so `next build` does not open
 * the embedded folder that a running dev server may hold.
 */
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql as sqlText, type ExtractTablesWithRelations, type Logger, type SQL } from "drizzle-orm";
import type { Sql } from "postgres";
import { isConnectionError, markDatabaseDown, markDatabaseSuspect, markDatabaseUp } from "./connection-errors";
import * as schema from "./schema";

type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Functions that may run inside a caller's transaction take this. */
export type DbOrTx = Db | Tx;

export type DatabaseConfig = (
  | {
      kind: "postgres";
      url: string;
      maxConnections?: number;
      /**
       * Each connection prepares a statement the first time it sends it, and the server plans it
       * for its own parameters every time (force_custom_plan): it is parsed once per connection
       * instead of once per request. Set for processes that only serve pages (RUNLOG_ROLE=web),
       * not for those that run agents: on a connection so set, the statements inside the PL/pgSQL
       * functions an agent's work calls are planned anew on every call too, which cost runs a
       * tenth to a quarter of their speed.
       */
      preparesStatements?: boolean;
    }
  | { kind: "pglite"; dataDir: string; loadDataDir?: Blob }
) & {
  /** Sees each query's text and parameters as sent (benchmarks capture them to EXPLAIN). */
  logger?: Logger;
};

export type DatabaseKind = DatabaseConfig["kind"];

export type OpenDatabase = {
  db: Db;
  kind: DatabaseKind;
  /** Applies the committed drizzle-kit migrations. */
  migrate: () => Promise<void>;
  /**
   * The first column of a query's first row as UTF-8 bytes (null for no row or NULL). For large
   * text meant for a file (a download's batch of rows): from a server the bytes come as they
   * arrived, never turned into a JavaScript string and back.
   */
  textBytes: (query: CompiledQuery) => Promise<Uint8Array | null>;
  /**
   * Calls `onNotify` on every NOTIFY on `channel` (from any process on the database; with a
   * server, on a connection of its own that postgres.js re-opens after a cut). Answers a stop.
   */
  listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  /**
   * Runs `work` while holding the database's setup lock, so processes that start together
   * (an instance's web and runner processes, or several instances) migrate and seed one at a time.
   */
  whileSettingUp: <T>(work: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

/** A query as drizzle compiles it (`.toSQL()`). */
type CompiledQuery = { sql: string; params: unknown[] };

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** The advisory lock key of migrations and the first seed (any fixed number of ours). */
const setupLockKey = 73_617_801;

export function databaseConfigFromEnv(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  // RUNLOG_ROLE=web: a process that only serves pages (inngest/process-role.ts).
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL, ...(env.RUNLOG_ROLE === "web" ? { preparesStatements: true } : {}) };
  return { kind: "pglite", dataDir: env.PGLITE_DIR || path.join(process.cwd(), ".data", "pglite") };
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // A dead server refuses at once; an unreachable one must not hold a request for 30 s. No
    // column or parameter of ours is an array, so a new connection skips postgres.js's query for
    // array types: one round trip less, and that query's failure when a connection is cut while
    // it runs escapes as an unhandled rejection (postgres.js 3.4.9). Turn it back on with arrays.
    // No parallel workers or JIT: the app's statements are short walks that stop at a page; a
    // worker took 80-100 ms to start here, five times the search it served, and JIT compiling
    // took 24 ms of a status count (bench:search).
    // A connection reopens after a short wait, at most a second: postgres.js counts errors for
    // the whole pool and waits up to 20 s by default, so after one cut of a few connections
    // each of them sat out 10-20 s and the queries queued on them waited as long.
    const options = { connect_timeout: 5, fetch_types: false, backoff: reconnectDelaySeconds, onnotice: () => {}, connection: { max_parallel_workers_per_gather: "0", jit: "off" } };
    const connection = config.preparesStatements ? { ...options.connection, plan_cache_mode: "force_custom_plan" } : options.connection;
    const sql = postgres(config.url, { ...options, connection, max: config.maxConnections ?? 10 });
    let isClosed = false;
    const probe = () => probeServer(postgres(config.url, { ...options, max: 1, connect_timeout: 3, idle_timeout: 1 }));
    const db = drizzle(retryingReads(sql, reachabilityWatch(probe, () => isClosed), config.preparesStatements ?? false), { schema, logger: config.logger });
    return {
      db: db as unknown as Db,
      kind: "postgres",
      migrate: () => migrate(db, { migrationsFolder }),
      textBytes: async (query) => {
        // Prepared once per connection: a batch query's text is long, and sent and planned
        // anew for every batch it cost the app and the server more than some batches did.
        const [row] = await sql.unsafe(query.sql, query.params as never[], { prepare: true }).raw();
        return row?.[0] ?? null;
      },
      listen: async (channel, onNotify) => {
        const { unlisten } = await sql.listen(channel, () => onNotify());
        return unlisten;
      },
      whileSettingUp: async (work) => {
        // A session-level advisory lock lives on one connection: a client of its own holds it.
        const locker = postgres(config.url, { ...options, max: 1 });
        try {
          await locker`select pg_advisory_lock(${setupLockKey})`;
          return await work();
        } finally {
          await locker.end({ timeout: 5 });
        }
      },
      close: () => {
        isClosed = true;
        return sql.end({ timeout: 5 });
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const isMemory = config.dataDir.startsWith("memory://");
  const releaseLock = isMemory ? () => {} : lockDataDir(config.dataDir);
  const client = await PGlite.create(isMemory ? undefined : config.dataDir, {
    loadDataDir: config.loadDataDir,
    // Shared buffers live in this process's WebAssembly memory, so the server default (128 MB)
    // would all count toward the app's RSS; a run's working set fits in far less.
    startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"],
  });
  const db = drizzle(client, { schema, logger: config.logger });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    migrate: () => migrate(db, { migrationsFolder }),
    textBytes: async (query) => {
      const { rows } = await client.query<[string | null]>(query.sql, query.params, { rowMode: "array" });
      const text = rows[0]?.[0];
      return text == null ? null : Buffer.from(text, "utf8");
    },
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, () => onNotify());
      return () => stop();
    },
    // One process per folder (lockDataDir): nobody else can be setting it up.
    whileSettingUp: (work) => work(),
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * Two processes writing one PGlite folder corrupt it, so the folder is claimed with a
 * lock file holding the owner's pid; a live owner makes a second opener stop with a
 * message instead.
 */
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  const owner = Number(fs.existsSync(lockFile) ? fs.readFileSync(lockFile, "utf8") : NaN);
  if (owner && owner !== process.pid && isProcessAlive(owner)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${owner} (probably \`npm run dev\`). ` +
        "Stop it first, or point PGLITE_DIR at another folder.",
    );
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => fs.rmSync(lockFile, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Seconds a closed connection waits before it reopens, after the pool's `errors`-th error since one last opened. */
function reconnectDelaySeconds(errors: number): number {
  return Math.min(0.02 * 2 ** errors, 1);
}

/**
 * The postgres.js client as drizzle sees it, with two additions (and its statements prepared
 * where the config says so; a transaction's are not). A read (a statement that
 * starts with `select`) outside a transaction whose pooled connection was closed under it is
 * retried once on another: the pool drops a closed connection and opens a fresh one, so the
 * first request after a cut is served normally. Writes and transactions are never retried
 * here (a lost answer may hide a commit); callers that can repeat them do so
 * (`retryOnConnectionLoss`). Every connection error also has a fresh connection probe the
 * server, which decides whether the database is down (db/connection-errors.ts).
 */
function retryingReads(sql: Sql, onConnectionError: () => void, isPrepared: boolean): Sql {
  const report = <T>(pending: Promise<T>): Promise<T> =>
    pending.then(
      (result) => (markDatabaseUp(), result),
      (error: unknown) => {
        if (isConnectionError(error)) onConnectionError();
        throw error;
      },
    );
  const unsafe = (query: string, params?: never[], options?: { prepare?: boolean }) => {
    const attempt = (mode: "rows" | "values"): Promise<unknown> => {
      const pending = sql.unsafe(query, params, isPrepared ? { ...options, prepare: true } : options);
      return report(mode === "values" ? pending.values() : pending);
    };
    const retried = async (mode: "rows" | "values") => {
      try {
        return await attempt(mode);
      } catch (error) {
        if (!isConnectionError(error) || !isRead(query)) throw error;
        // Let the pool see the other connections the cut closed before choosing one.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return attempt(mode);
      }
    };
    return { then: (...args: Parameters<Promise<unknown>["then"]>) => retried("rows").then(...args), values: () => retried("values") };
  };
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return (...args: Parameters<Sql["begin"]>) => report(target.begin(...args));
      return Reflect.get(target, property, receiver);
    },
  });
}

function isRead(query: string): boolean {
  return /^\s*select\b/i.test(query);
}

/**
 * What a client does on a connection error: the database becomes suspect, and a probe runs at
 * once, then every second until one gets through (or the client is closed).
 */
function reachabilityWatch(probe: () => Promise<boolean>, isClosed: () => boolean): () => void {
  let isWatching = false;
  return () => {
    markDatabaseSuspect();
    if (isWatching) return;
    isWatching = true;
    void (async () => {
      try {
        while (!isClosed()) {
          if (await probe()) return markDatabaseUp();
          if (isClosed()) return;
          markDatabaseDown();
          await new Promise((resolve) => setTimeout(resolve, 1000).unref());
        }
      } finally {
        isWatching = false;
      }
    })();
  };
}

/** `select 1` on a connection of its own, closed after. */
async function probeServer(client: Sql): Promise<boolean> {
  try {
    await client`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await client.end({ timeout: 1 }).catch(() => {});
  }
}

/**
 * Runs work that is safe to repeat (an engine step: idempotent, in its own transactions)
 * again after a connection error, waiting longer each time; any other error, or a
 * connection error after the last wait, is thrown.
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>, delaysMs: readonly number[] = connectionRetryDelaysMs): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionError(error) || attempt >= delaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}

/** About 40 s in all: an outage that outlasts it fails the run (or, if that cannot be written either, leaves it to the sweep). */
const connectionRetryDelaysMs = [250, 500, 1000, 2000, 4000, 8000, 12_000, 12_000] as const;

/**
 * About 30 s in all, for work someone is waiting on (a download streaming to them): a cut
 * connection or a database restart is bridged while the browser shows the download waiting; a
 * longer outage ends the transfer rather than leave them waiting on it for good.
 */
export const briefRetryDelaysMs = [100, 250, 500, 1000, 2000, 4000, 6000, 8000, 8000] as const;

/** Whether the database answers `select 1` within `timeoutMs` (the health check). */
export async function isDatabaseReachable(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const answer = getDb().then((db) => db.execute(sqlText`select 1`)).then(() => true, () => false);
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Kept on globalThis: Next.js bundles instrumentation and routes separately, and two
// module copies must still share one connection (one PGlite instance per folder).
type Holder = { opening?: Promise<OpenDatabase>; current?: OpenDatabase };
const holder: Holder = ((globalThis as { __runlogDatabase?: Holder }).__runlogDatabase ??= {});

/** The app's database, opened on first use from the environment. */
export async function getDatabase(): Promise<OpenDatabase> {
  if (holder.current) return holder.current;
  holder.opening ??= openDatabase(databaseConfigFromEnv()).then((opened) => (holder.current = opened));
  return holder.opening;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Makes `getDb()` answer with an already opened database (tests and scripts). */
export function installDatabase(opened: OpenDatabase): void {
  holder.current = opened;
  holder.opening = Promise.resolve(opened);
}

export async function closeDatabase(): Promise<void> {
  const current = holder.current;
  holder.current = undefined;
  holder.opening = undefined;
  await current?.close();
}

/** The rows a raw statement answers: postgres.js gives the rows themselves, PGlite `{ rows }`. */
export async function executeRows<T>(tx: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await tx.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
