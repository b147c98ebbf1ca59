import { count, eq, sql } from "drizzle-orm";
import { notFound } from "next/navigation";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, workspaces } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { openUnreachableDatabase } from "@/db/testing/unreachable-database";
import { failure } from "@/lib/outcome";
import { saveRetentionPeriods } from "@/lib/retention/settings";
import { internalMessage, unavailableMessage } from "@/lib/unexpected-failure";
import { action, formArgs, unexpectedInputMessage } from "./action";

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

  it("refuses a forged call whose arguments are not what its form sends, with a sentence, before the call runs and without logging it", async () => {
    const admin = await seededCtx("admin@acme.test");
    // The retention form's action, as a public one: the member session needs a running server.
    const saveRetention = action({
      access: "public",
      input: formArgs,
      run: (_nobody, _previous: unknown, form: FormData) =>
        saveRetentionPeriods(admin, { retentionSuccessDays: form.get("retentionSuccessDays"), retentionFailureDays: form.get("retentionFailureDays") }),
    });
    const db = await getDb();
    const stored = async () => ({
      periods: (await db.select({ success: workspaces.retentionSuccessDays, failure: workspaces.retentionFailureDays }).from(workspaces).where(eq(workspaces.id, admin.workspaceId)))[0],
      audits: (await db.select({ n: count() }).from(auditLog))[0]!.n,
    });
    const before = await stored();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const call = saveRetention as (...args: unknown[]) => Promise<unknown>;
    const forged: unknown[][] = [["x"], [null, "x"], [null, 1], [null, null], [null, []], [null, { retentionSuccessDays: "30", retentionFailureDays: "30" }], [], [null, new FormData(), "extra"]];
    for (const args of forged) expect(await call(...args), JSON.stringify(args)).toEqual({ ok: false, message: unexpectedInputMessage });
    expect(errors).not.toHaveBeenCalled();
    expect(await stored()).toEqual(before);

    // The form itself still saves.
    const form = new FormData();
    form.set("retentionSuccessDays", "200");
    form.set("retentionFailureDays", "60");
    expect(await saveRetention(undefined, form)).toEqual({ ok: true, periods: { retentionSuccessDays: 200, retentionFailureDays: 60 } });
    expect((await stored()).periods).toEqual({ success: 200, failure: 60 });
  });

  it("still logs an error nobody caught and answers the shared sentence", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = action({ access: "public", input: formArgs, run: async (_nobody, _previous: unknown, form: FormData) => ({ ok: true as const, n: JSON.parse(String(form.get("n"))) as number }) });
    expect(await broken(null, new FormData())).toEqual({ ok: true, n: null });
    const form = new FormData();
    form.set("n", "{");
    expect(await broken(null, form)).toEqual({ ok: false, message: internalMessage });
    expect(errors).toHaveBeenCalledWith("Runlog: unexpected error:", expect.any(SyntaxError));
  });
});
