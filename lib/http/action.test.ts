import { sql } from "drizzle-orm";
import { notFound } from "next/navigation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openUnreachableDatabase } from "@/db/testing/unreachable-database";
import { failure } from "@/lib/outcome";
import { unavailableMessage } from "@/lib/unexpected-failure";
import { action } from "./action";

// Member actions read the session through Next's request scope, which only a running server
// has; the browser tests use them all. Here, what every action shares.

afterEach(() => vi.restoreAllMocks());

/** Next's redirect travels as an error whose digest names the target. */
async function redirectedTo(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    if (digest.startsWith("NEXT_REDIRECT")) return digest.split(";")[2]!;
    throw error;
  }
  throw new Error("expected a redirect");
}

describe("action", () => {
  it("hands the browser the outcome without its code, and the data on success", async () => {
    const echo = action({ access: "public", run: async (_nobody, value: string) => (value ? { ok: true as const, value } : failure("invalid_input", "Give a value.")) });
    expect(await echo("a")).toEqual({ ok: true, value: "a" });
    expect(await echo("")).toEqual({ ok: false, message: "Give a value." });
  });

  it("answers the unreachable-database sentence instead of crashing when the call throws", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const unreachable = await openUnreachableDatabase();
    try {
      const read = action({ access: "public", run: async () => ({ ok: true as const, rows: await unreachable.db.execute(sql`select 1`) }) });
      expect(await read()).toEqual({ ok: false, message: unavailableMessage });
    } finally {
      await unreachable.close().catch(() => {});
    }
  });

  it("redirects where the outcome says, on success or refusal, and lets Next's notFound through", async () => {
    const open = action({
      access: "public",
      run: async (_nobody, id: string) => (id === "known" ? { ok: true as const, id } : failure("not_found", "No such link.")),
      redirect: (opened, [id]) => (opened.ok ? `/executions/${opened.id}` : `/s/${id}`),
    });
    expect(await redirectedTo(() => open("known"))).toBe("/executions/known");
    expect(await redirectedTo(() => open("other"))).toBe("/s/other");

    const missing = action({ access: "public", run: async () => notFound() });
    await expect(missing()).rejects.toMatchObject({ digest: expect.stringContaining("404") });
  });
});
