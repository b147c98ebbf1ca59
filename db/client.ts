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
import type { ExtractTablesWithRelations, Logger } from "drizzle-orm";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Functions that may run inside a caller's transaction take this. */
export type DbOrTx = Db | Tx;

export type DatabaseConfig = (
  | { kind: "postgres"; url: string; maxConnections?: number }
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
  close: () => Promise<void>;
};

/** A query as drizzle compiles it (`.toSQL()`). */
export type CompiledQuery = { sql: string; params: unknown[] };

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export function databaseConfigFromEnv(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  return { kind: "pglite", dataDir: env.PGLITE_DIR || path.join(process.cwd(), ".data", "pglite") };
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  if (config.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const sql = postgres(config.url, { max: config.maxConnections ?? 10, onnotice: () => {} });
    const db = drizzle(sql, { schema, logger: config.logger });
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
      close: () => sql.end({ timeout: 5 }),
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
