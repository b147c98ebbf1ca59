import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { executeRows, getDb } from "@/db/client";
import { seededCtx } from "@/db/testing/contexts";
import { loadSessionContext, type SessionContext } from "@/lib/auth/session";

/**
 * Every server action of the app, called as a forger would call it: arguments that no page sends.
 * The session and the request's headers and cookies come from a running server, so here they
 * are the admin's session and an empty request; the database is the real one.
 */
let admin: SessionContext;
vi.mock("@/lib/auth/session", async (original) => ({ ...(await original<typeof import("@/lib/auth/session")>()), requireSessionContext: async () => admin }));
vi.mock("next/headers", () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type ServerAction = (...args: unknown[]) => Promise<unknown>;
const modules = import.meta.glob<Record<string, ServerAction>>(["../../app/**/actions.ts", "../../app/**/*-actions.ts"]);

/** Every table's rows, digested: what a forged call must leave as it was (reading notifications aside). */
async function databaseDigest(): Promise<Record<string, string>> {
  const db = await getDb();
  const tables = await executeRows<{ name: string }>(db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'notifications' order by 1`);
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await executeRows<{ md5: string }>(db, sql`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as md5 from ${sql.identifier(name)} t`);
    digest[name] = row!.md5;
  }
  return digest;
}

beforeAll(async () => {
  const { userId, workspaceId } = await seededCtx("admin@acme.test");
  admin = (await loadSessionContext(userId, 0, workspaceId))!;
});

describe("forged server-action calls", () => {
  it("are refused with a sentence (or sent on, as the action always does), never logged as an unexpected error", { timeout: 120_000 }, async () => {
    const before = await databaseDigest();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const forged: unknown[] = ["x", 1, null, [], { id: 1, name: ["a"] }];
    const answers: { call: string; answer: unknown }[] = [];
    for (const [file, load] of Object.entries(modules)) {
      for (const [name, serverAction] of Object.entries(await load())) {
        for (const value of forged) {
          for (const args of [[value], [null, value], [value, value, value]]) {
            let answer: unknown;
            try {
              answer = await serverAction(...args);
            } catch (error) {
              answer = { thrown: String((error as { digest?: unknown }).digest ?? error).split(";")[0] };
            }
            answers.push({ call: `${file.replace("../../", "")} ${name}(${JSON.stringify(args)})`, answer });
          }
        }
      }
    }
    expect(answers.length).toBeGreaterThan(40 * 15);
    expect(errors.mock.calls.map(([first]) => String(first))).toEqual([]);
    for (const { call, answer } of answers) {
      expect(answer, call).toSatisfy((a: { ok?: boolean; message?: string; thrown?: string }) => a.ok === true || a.thrown === "NEXT_REDIRECT" || (a.ok === false && Boolean(a.message)));
    }
    expect(await databaseDigest()).toEqual(before);
  });
});
