import { sql } from "drizzle-orm";
import { notFound, redirect } from "next/navigation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { pageReadingAddress } from "./page";

afterEach(() => vi.restoreAllMocks());

describe("pageReadingAddress", () => {
  it("renders the page with the props it was given", async () => {
    const shown = pageReadingAddress(async ({ id }: { id: string }) => `run ${id}`);
    expect(await shown({ id: "42" })).toBe("run 42");
  });

  it.each([
    ["a date in year 0", sql`select ${"0000-01-01"}::timestamptz`],
    ["a number past an integer's range", sql`select ${"9999999999"}::int`],
    ["text with a NUL byte", sql`select ${"a\u0000b"}::text`],
    ["an ID that is no UUID", sql`select ${"not-an-id"}::uuid`],
  ])("answers the not-found page (404), not the error page, when the database refuses a value of the address (%s)", async (_, statement) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await getDb();
    const shown = pageReadingAddress(async () => {
      await db.execute(statement);
      return null;
    });

    await expect(shown({})).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    expect(String(logged.mock.calls[0])).toMatch(/refused a value/);
  });

  it("lets every other failure reach the error page unchanged", async () => {
    const db = await getDb();
    const missingTable = pageReadingAddress(async () => {
      await db.execute(sql`select 1 from runlog_no_such_table`);
      return null;
    });
    const broken = new TypeError("a bug");
    const buggy = pageReadingAddress(async () => {
      throw broken;
    });

    await expect(missingTable({})).rejects.toThrow(/runlog_no_such_table/);
    await expect(missingTable({})).rejects.not.toHaveProperty("digest");
    await expect(buggy({})).rejects.toBe(broken);
  });

  it("lets the page's own notFound and redirect through", async () => {
    const missing = pageReadingAddress(async () => notFound());
    const signIn = pageReadingAddress(async () => redirect("/sign-in"));

    await expect(missing({})).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    await expect(signIn({})).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;replace;\/sign-in;/) });
  });
});
