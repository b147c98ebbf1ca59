import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseConfigFromEnv, openDatabase, retryOnConnectionLoss, type OpenDatabase } from "./client";
import { isConnectionError, isDatabaseUnreachable } from "./connection-errors";
import { workspaces } from "./schema";
import { openCuttableLink } from "./testing/cuttable-link";

describe("choosing and opening the database", () => {
  it("uses PostgreSQL when DATABASE_URL is set and embedded PGlite in .data otherwise", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgres://u@h/db" })).toEqual({ kind: "postgres", url: "postgres://u@h/db" });
    expect(databaseConfigFromEnv({})).toEqual({ kind: "pglite", dataDir: path.join(process.cwd(), ".data", "pglite") });
    expect(databaseConfigFromEnv({ PGLITE_DIR: "/tmp/x" })).toEqual({ kind: "pglite", dataDir: "/tmp/x" });
  });

  it("prepares statements only in a process that just serves pages (npm start's web processes)", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", RUNLOG_ROLE: "web" })).toEqual({ kind: "postgres", url: "postgres://u@h/db", preparesStatements: true });
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgres://u@h/db", RUNLOG_ROLE: "runner" })).toEqual({ kind: "postgres", url: "postgres://u@h/db" });
  });

  it.runIf(process.env.RUNLOG_TEST_DATABASE_URL)("parses a prepared read once per connection and plans it for each call's own parameters", async () => {
    const database = await openDatabase({ kind: "postgres", url: process.env.RUNLOG_TEST_DATABASE_URL!, maxConnections: 1, preparesStatements: true });
    try {
      const named = (name: string) => database.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.name, name));
      await named("no such workspace");
      expect(await named("still none")).toEqual([]);
      const [prepared] = await database.db
        .select({ n: sql<number>`count(*)::int`, mode: sql<string>`current_setting('plan_cache_mode')` })
        .from(sql`pg_prepared_statements`)
        .where(sql`statement like '%from "workspaces" where "workspaces"."name" = $1%'`);
      // One statement for both calls, and no plan made once for every name.
      expect(prepared).toEqual({ n: 1, mode: "force_custom_plan" });
    } finally {
      await database.close();
    }
  });

  it("refuses to open an embedded database folder that another live process holds", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runlog-lock-")), "nested", "pglite");
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toThrow(/in use by process/);
    fs.rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
  });

  it("creates a missing folder, takes over a stale lock and releases it on close", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-lock-"));
    const dataDir = path.join(root, "deep", "pglite");
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, "999999999"); // no such process
    const opened = await openDatabase({ kind: "pglite", dataDir });
    expect(fs.readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
    await opened.close();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe("a lost connection", () => {
  const url = process.env.RUNLOG_TEST_DATABASE_URL;
  const serverOf = (address: string) => ({ host: new URL(address).hostname, port: Number(new URL(address).port || 5432) });

  it.runIf(url).each([false, true])("serves a read whose pooled connection was cut under it, on a fresh connection (statements prepared: %s)", async (preparesStatements) => {
    const link = await openCuttableLink(serverOf(url!));
    const database = await openDatabase({ kind: "postgres", url: link.urlThrough(url!), maxConnections: 3, preparesStatements });
    try {
      const read = () => database.db.select({ id: workspaces.id }).from(workspaces).limit(1);
      await Promise.all([read(), read(), read()]); // every pooled connection open
      link.dropConnections();
      // Sent before the driver can have seen the reset: it lands on a dead connection first.
      const rows = await read();
      expect(rows).toHaveLength(1);
      expect(isDatabaseUnreachable()).toBe(false);
    } finally {
      await database.close();
      await link.close();
    }
  });

  // postgres.js 3.4.9 wrote a transaction's ROLLBACK to the socket it had just dropped from a
  // timer, an uncaught TypeError that ended the runner (porsager/postgres#1208); patches/ mends it.
  it.runIf(url)("fails a transaction whose connection the server ended with a connection error, and throws nothing outside it", async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on("uncaughtException", onUncaught);
    const database = await openDatabase({ kind: "postgres", url: url!, maxConnections: 2 });
    const admin = await openDatabase({ kind: "postgres", url: url!, maxConnections: 1 });
    try {
      const failed = await database.db
        .transaction(async (tx) => {
          const [{ pid }] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as [{ pid: number }];
          await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
          await new Promise((resolve) => setTimeout(resolve, 200)); // the driver sees the close
          await tx.execute(sql`select 1`);
        })
        .then(() => null, (error: unknown) => error);
      expect(isConnectionError(failed)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the ROLLBACK's write falls due
      expect(uncaught).toEqual([]);
      expect(await database.db.execute(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      process.off("uncaughtException", onUncaught);
      await Promise.all([database.close(), admin.close()]);
    }
  });

  // postgres.js 3.4.9 left a transaction's statements still queued behind the one in flight
  // pending forever when its connection closed (porsager/postgres#1186), and handed what its
  // callback sent after the close to the connection the pool reopened, where it ran and committed
  // on its own, outside any transaction (#1216; the still open upstream #1215 mends both). It
  // also kept a closed connection's query and the server's error that ended it: the first query
  // after it reopened failed with that old 57P01, and closing the pool waited its whole timeout.
  // patches/postgres+3.4.9.patch mends all three.
  describe.runIf(url)("statements whose connection closes under them", () => {
    const opened: { close: () => Promise<void> }[] = [];
    const open = async (maxConnections: number, through?: string) => {
      const database = await openDatabase({ kind: "postgres", url: through ?? url!, maxConnections });
      opened.push(database);
      return database;
    };
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    beforeEach(async () => {
      uncaught.length = 0;
      process.on("uncaughtException", onUncaught);
      const admin = await open(1);
      await admin.db.execute(sql`create table if not exists tx_cut_probe (n int not null)`);
      await admin.db.execute(sql`truncate tx_cut_probe`);
    });
    afterEach(async () => {
      process.off("uncaughtException", onUncaught);
      await Promise.all(opened.splice(0).map((database) => database.close()));
    });
    const committed = async () => {
      const admin = await open(1);
      const rows = (await admin.db.execute(sql`select n from tx_cut_probe order by n`)) as unknown as { n: number }[];
      return rows.map((row) => row.n);
    };
    /** Waits until the backend `pid` runs a statement containing `text`. */
    const whenRunning = async (admin: OpenDatabase, pid: number, text: string) => {
      for (let tries = 0; tries < 200; tries++) {
        const [row] = (await admin.db.execute(sql`select query from pg_stat_activity where pid = ${pid} and state = 'active'`)) as unknown as { query: string }[];
        if (row?.query.includes(text)) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`backend ${pid} never ran ${text}`);
    };

    it.each(["terminated by the server", "cut by the network"] as const)(
      "settles the statements queued behind the one in flight with a connection error, and commits none of them (connection %s)",
      async (how) => {
        const link = await openCuttableLink(serverOf(url!));
        try {
          const database = await open(2, how === "cut by the network" ? link.urlThrough(url!) : undefined);
          const admin = await open(1);
          const statements: Promise<unknown>[] = [];
          let pid = 0;
          const failed = database.db
            .transaction(async (tx) => {
              [{ pid }] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as [{ pid: number }];
              await tx.execute(sql`insert into tx_cut_probe values (${0})`);
              // Sent together, not one awaited after another: the first holds the connection and
              // the transaction keeps the rest in its own queue until it answers.
              statements.push(sent(tx.execute(sql`select pg_sleep(${10})`)));
              for (let n = 1; n <= 3; n++) statements.push(sent(tx.insert(probe).values({ n })));
              statements.push(sent(tx.execute(sql`update tx_cut_probe set n = n + ${10}`)));
              await whenRunning(admin, pid, "pg_sleep");
              if (how === "terminated by the server") await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
              else link.dropConnections();
              await Promise.all(statements);
            })
            .then(() => null, (error: unknown) => error);
          expect(isConnectionError(await failed)).toBe(true);
          const outcomes = await Promise.all(statements.map((statement) => settledWithin(statement, 3000)));
          expect(outcomes.map((outcome) => outcome.state)).toEqual(statements.map(() => "rejected"));
          expect(outcomes.every((outcome) => isConnectionError(outcome.error))).toBe(true);
          // Cut off from its client, the server's side sleeps on in its transaction; end it before
          // reading what was committed.
          if (how === "cut by the network") await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
          expect(await committed()).toEqual([]);
          expect(uncaught).toEqual([]);
          // The pool serves the next transaction normally.
          await database.db.transaction((tx) => tx.insert(probe).values({ n: 99 }));
          expect(await committed()).toEqual([99]);
        } finally {
          await link.close();
        }
      },
    );

    it("refuses what its callback sends after the close, even once the pool has reopened the connection, and commits none of it", async () => {
      const database = await open(1);
      const admin = await open(1);
      let late: Settled | undefined;
      let failedAlready = false;
      const failed = database.db
        .transaction(async (tx) => {
          const [{ pid }] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as [{ pid: number }];
          await tx.insert(probe).values({ n: 1 });
          // The callback awaits other work while the server ends its connection, and the pool
          // reopens that (only) connection for a query from elsewhere.
          await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
          await until(() => failedAlready, 5000);
          expect(await database.db.execute(sql`select 1 as one`)).toEqual([{ one: 1 }]);
          late = await settledWithin(tx.insert(probe).values({ n: 2 }), 3000);
        })
        .then(() => null, (error: unknown) => error);
      void failed.then(() => (failedAlready = true));
      expect(isConnectionError(await failed)).toBe(true);
      await until(() => late !== undefined, 8000);
      expect(await committed()).toEqual([]);
      expect(late?.state).toBe("rejected");
      expect(isConnectionError(late?.error)).toBe(true);
      expect(uncaught).toEqual([]);
    });

    it("serves the first write after the server ended a connection mid-statement, and closes the pool at once", async () => {
      const database = await open(1);
      const admin = await open(1);
      const endMidStatement = async () => {
        const [{ pid }] = (await database.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as [{ pid: number }];
        const sleeping = sent(database.db.execute(sql`insert into tx_cut_probe select 1 from pg_sleep(10)`)).then(() => null, (error: unknown) => error);
        await whenRunning(admin, pid, "pg_sleep");
        await admin.db.execute(sql`select pg_terminate_backend(${pid})`);
        expect(isConnectionError(await sleeping)).toBe(true);
      };
      await endMidStatement();
      // A write is not retried: it goes to the reopened connection once and must be served there.
      await database.db.insert(probe).values({ n: 2 });
      expect(await committed()).toEqual([2]);
      await endMidStatement();
      const closing = Date.now();
      await database.close();
      expect(Date.now() - closing).toBeLessThan(1000);
    });
  });

  it.runIf(url)("tells a database that went down from one that came back, within seconds", { timeout: 30_000 }, async () => {
    const link = await openCuttableLink(serverOf(url!));
    const database = await openDatabase({ kind: "postgres", url: link.urlThrough(url!), maxConnections: 2 });
    try {
      await database.db.execute(sql`select 1`);
      link.goDown();
      const failed = await database.db.execute(sql`select 1`).then(() => null, (error: unknown) => error);
      expect(isConnectionError(failed)).toBe(true);
      await until(() => isDatabaseUnreachable(), 10_000);
      link.comeBack();
      await until(() => !isDatabaseUnreachable(), 10_000);
      expect(await database.db.execute(sql`select 1`)).toHaveLength(1);
    } finally {
      await database.close();
      await link.close();
    }
  });

  // postgres.js 3.4.9 counted a connection's rows across queries until one completed
  // (porsager/postgres#1119, #1181): a query cut or failed mid-answer left the next query on
  // that connection a result with holes before its rows. patches/postgres+3.4.9.patch resets it.
  it.runIf(url)("answers the first query after a cut mid-answer with its own rows alone", { timeout: 30_000 }, async () => {
    const link = await openCuttableLink(serverOf(url!));
    const database = await openDatabase({ kind: "postgres", url: link.urlThrough(url!), maxConnections: 1 });
    try {
      const cut = link.dropAfterServerSends(256 * 1024);
      // A read: tried again once on the same (only) connection, which is the query after the cut.
      const long = database.db.execute(sql`select n, filler from generate_series(1, 20000) as n, repeat('x', 200) as filler`).then((rows) => rows as unknown as { n: number }[]);
      await cut;
      const rows = await long;
      expect(rows).toHaveLength(20_000);
      expect(rows.every((row, index) => row?.n === index + 1)).toBe(true);
      expect(await database.db.execute(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await link.close();
    }
  });

  it.runIf(url)("serves queries within a second or two once the database is back after errors on many connections", { timeout: 30_000 }, async () => {
    const link = await openCuttableLink(serverOf(url!));
    const database = await openDatabase({ kind: "postgres", url: link.urlThrough(url!), maxConnections: 4 });
    const fourAtOnce = () => Promise.all(Array.from({ length: 4 }, () => database.db.execute(sql`select pg_sleep(0.05)`).then(() => null, (error: unknown) => error)));
    try {
      await fourAtOnce();
      link.goDown();
      // Every connection fails to reach the server a few times: postgres.js counts each error
      // for the whole pool and, by default, waits longer and longer (up to 20 s) before reopening.
      for (let round = 0; round < 3; round++) expect((await fourAtOnce()).every(isConnectionError)).toBe(true);
      link.comeBack();
      const started = Date.now();
      expect(await fourAtOnce()).toEqual([null, null, null, null]);
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await database.close();
      await link.close();
    }
  });

  it.runIf(url)("answers the query after one that failed mid-answer with its own rows alone", async () => {
    const database = await openDatabase({ kind: "postgres", url: url!, maxConnections: 1 });
    try {
      const failing = database.db.execute(sql`select i, 1 / (4 - i) as quotient from generate_series(1, 10) as i`).then(() => null, (error: unknown) => error);
      const next = database.db.execute(sql`select x from generate_series(1, 2) as x`);
      expect(String((await failing as Error).cause)).toContain("division by zero");
      expect(await next).toEqual([{ x: 1 }, { x: 2 }]);
    } finally {
      await database.close();
    }
  });

  it("repeats work that lost its connection, waiting between tries, and gives up after the last", async () => {
    const lost = () => Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error("Failed query: select …", { cause: lost() });
      return "done";
    };
    expect(await retryOnConnectionLoss(flaky, [1, 1, 1])).toBe("done");
    expect(calls).toBe(3);

    calls = 0;
    await expect(retryOnConnectionLoss(async () => (calls++, Promise.reject(lost())), [1, 1])).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    expect(calls).toBe(3);

    calls = 0;
    await expect(retryOnConnectionLoss(async () => (calls++, Promise.reject(new Error("duplicate key"))), [1, 1])).rejects.toThrow("duplicate key");
    expect(calls).toBe(1);
  });
});

async function until(isTrue: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isTrue()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A scratch table of the transaction tests (made by them, not a migration). */
const probe = pgTable("tx_cut_probe", { n: integer("n").notNull() });

/** Sends a drizzle query once and answers its one outcome (a query builder runs again on every `then`). */
function sent<T>(query: PromiseLike<T>): Promise<T> {
  return Promise.resolve(query);
}

type Settled = { state: "fulfilled" | "rejected" | "pending"; error?: unknown };

/** How `pending` settled within `timeoutMs`, or "pending" if it had not. */
async function settledWithin(pending: PromiseLike<unknown>, timeoutMs: number): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => (timer = setTimeout(() => resolve({ state: "pending" }), timeoutMs)));
  const outcome = Promise.resolve(pending).then((): Settled => ({ state: "fulfilled" }), (error: unknown): Settled => ({ state: "rejected", error }));
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
