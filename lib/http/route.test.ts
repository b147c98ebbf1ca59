import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { openUnreachableDatabase } from "@/db/testing/unreachable-database";
import { failure } from "@/lib/outcome";
import { internalMessage, unavailableMessage } from "@/lib/unexpected-failure";
import { route } from "./route";

// Member and link routes read the session cookie through Next's request scope, which only a
// running server has: the browser tests (e2e/routes.spec.ts) call those signed out, with a
// link's missing password and a gone link. Here, what every route shares: the failure mapping.

const call = (handler: ReturnType<typeof route>, params: Record<string, string> = {}) => handler(new Request("http://runlog.test/api/x"), { params: Promise.resolve(params) });

afterEach(() => vi.restoreAllMocks());

describe("route", () => {
  it("passes the route's params to the handler and its response through", async () => {
    const handler = route<{ id: string }>({ access: "public" }, async ({ params, caller }) => Response.json({ id: params.id, caller }));
    const response = await handler(new Request("http://runlog.test/api/x"), { params: Promise.resolve({ id: "abc" }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "abc", caller: null });
  });

  it("turns a returned failure into its status and the shared JSON shape", async () => {
    const response = await call(route({ access: "public" }, async () => failure("gone", "This file expired.")));
    expect(response.status).toBe(410);
    expect(await response.json()).toEqual({ error: { code: "gone", message: "This file expired." } });
  });

  it("answers 503 with a sentence when the database cannot be reached", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const unreachable = await openUnreachableDatabase();
    try {
      const response = await call(route({ access: "public" }, async () => Response.json(await unreachable.db.execute(sql`select 1`))));
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: "unavailable", message: unavailableMessage } });
    } finally {
      await unreachable.close().catch(() => {});
    }
  });

  it("answers 500 with a plain sentence, never the query or a stack, when the handler throws", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await getDb();
    const response = await call(route({ access: "public" }, async () => Response.json(await db.execute(sql`select token_hash from runlog_missing_table`))));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: "internal", message: internalMessage } });
    expect(body).not.toMatch(/runlog_missing_table|token_hash|\.ts:\d+/);
  });
});
