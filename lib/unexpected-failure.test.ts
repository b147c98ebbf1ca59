import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb, openDatabase, type OpenDatabase } from "@/db/client";
import { openUnreachableDatabase } from "@/db/testing/unreachable-database";
import { failureFromUnexpected, internalMessage, refusedValueMessage, unavailableMessage } from "./unexpected-failure";

async function thrownBy(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to throw");
}

const opened: OpenDatabase[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(opened.splice(0).map((database) => database.close().catch(() => {})));
});

describe("failureFromUnexpected", () => {
  it("answers a database that refuses connections with 503's sentence, and logs what happened", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const database = await openUnreachableDatabase();
    opened.push(database);
    const error = await thrownBy(() => database.db.execute(sql`select 1`));

    expect(failureFromUnexpected(error)).toEqual({ ok: false, code: "unavailable", message: unavailableMessage });
    expect(String(logged.mock.calls[0])).toMatch(/unreachable/);
    expect(String(logged.mock.calls[0])).toMatch(/ECONNREFUSED|connect/);
  });

  it.runIf(process.env.RUNLOG_TEST_DATABASE_URL)("answers a connection the server terminated mid-query with 503, through Drizzle's wrapping", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const database = await openDatabase({ kind: "postgres", url: process.env.RUNLOG_TEST_DATABASE_URL!, maxConnections: 1 });
    opened.push(database);
    // The server ends this very connection (SQLSTATE 57P01), as a restart or failover would.
    const error = await thrownBy(() => database.db.execute(sql`select pg_terminate_backend(pg_backend_pid())`));

    expect(failureFromUnexpected(error)).toMatchObject({ code: "unavailable", message: unavailableMessage });
  });

  it("answers a statement the database rejects for no foreseen reason with a plain sentence: no SQL, no stack", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await getDb();
    const error = await thrownBy(() => db.execute(sql`select secret_column from runlog_no_such_table`));

    const failed = failureFromUnexpected(error);
    expect(failed).toEqual({ ok: false, code: "internal", message: internalMessage });
    expect(JSON.stringify(failed)).not.toMatch(/runlog_no_such_table|secret_column|select|at /);
    // The whole error, SQL included, is in the server's log for whoever investigates.
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/unexpected/), error);
  });

  it("answers a programming error with the same sentence", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let error: unknown;
    try {
      (null as unknown as { id: string }).id.trim();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(failureFromUnexpected(error)).toEqual({ ok: false, code: "internal", message: internalMessage });
  });

  it.each([
    ["a date in year 0", sql`select ${"0000-01-01"}::timestamptz`],
    ["a number past an integer's range", sql`select ${"9999999999"}::int`],
    ["text with a NUL byte", sql`select ${"a\u0000b"}::text`],
    ["a time that is no time", sql`select ${"March 7"}::timestamptz`],
  ])("answers a value the database refuses (%s) with 400's sentence, not 500", async (_, statement) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await getDb();
    const error = await thrownBy(() => db.execute(statement));
    expect(failureFromUnexpected(error)).toEqual({ ok: false, code: "invalid_input", message: refusedValueMessage });
  });
});
