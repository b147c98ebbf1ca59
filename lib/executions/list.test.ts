import { and, asc, desc, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditsKey, durationMsKey, executions } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { countByStatus, listExecutions, type ExecutionPage } from "./list";
import { emptyFilter, encodeCursor, parseListRequest, type ListFilter, type ListRequest } from "./list-filter";
import { visibleExecutions } from "./visibility";

let admin: Ctx;
let maya: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, globexAdmin } = await seededPeople()));

/** Every visible execution in list order (newest first unless a key is given), straight from the one visibility rule. */
async function expectedIds(ctx: Ctx, where?: ReturnType<typeof sql>, key: ReturnType<typeof sql> = sql`${executions.createdAt}`, isAscending = false): Promise<string[]> {
  const db = await getDb();
  const order = isAscending ? [asc(key), asc(executions.id)] : [desc(key), desc(executions.id)];
  const rows = await db.select({ id: executions.id }).from(executions).where(and(visibleExecutions(ctx), where)).orderBy(...order);
  return rows.map((r) => r.id);
}

function request(filter: Partial<ListFilter> = {}, page: ListRequest["page"] = { after: null, before: null }, limit = 50): ListRequest {
  return { filter: { ...emptyFilter, ...filter }, page, limit };
}

async function walkForward(ctx: Ctx, filter: Partial<ListFilter> = {}, limit = 50): Promise<ExecutionPage[]> {
  const pages: ExecutionPage[] = [];
  let page = await listExecutions(ctx, request(filter, { after: null, before: null }, limit));
  pages.push(page);
  while (page.next) {
    page = await listExecutions(ctx, request(filter, { after: page.next, before: null }, limit));
    pages.push(page);
  }
  return pages;
}

describe("the history list", () => {
  it("walks every page of an admin's history by keyset: no row missing, none twice, newest first", async () => {
    const expected = await expectedIds(admin);
    expect(expected.length).toBeGreaterThan(1000);
    const pages = await walkForward(admin);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(expected);
    expect(pages.slice(0, -1).every((p) => p.rows.length === 50)).toBe(true);
    expect(pages[0]!.prev).toBeNull();
    expect(pages.at(-1)!.next).toBeNull();
  });

  it("walks back with `before` to exactly the pages it came through", async () => {
    const pages = await walkForward(admin);
    let back = pages.at(-1)!;
    for (let n = pages.length - 2; n >= 0; n--) {
      expect(back.prev).not.toBeNull();
      back = await listExecutions(admin, request({}, { after: null, before: back.prev }));
      expect(back.rows.map((r) => r.id)).toEqual(pages[n]!.rows.map((r) => r.id));
    }
    expect(back.prev).toBeNull();
  });

  it("shows a member exactly what the visibility rule allows, page after page", async () => {
    const expected = await expectedIds(maya);
    expect(expected.length).toBeGreaterThan(20);
    const pages = await walkForward(maya, {}, 20);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(expected);
  });

  it("combines agent, outcome and date filters, and every row matches them", async () => {
    const filter: Partial<ListFilter> = { agents: ["seo-audit", "performance-audit"], outcome: "failure", range: "30d" };
    const pages = await walkForward(admin, filter);
    const rows = pages.flatMap((p) => p.rows);
    const since = Date.now() - 30 * 86_400_000;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(["seo-audit", "performance-audit"]).toContain(row.agentId);
      expect(["failed", "partial"]).toContain(row.status);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(since - 60_000);
    }
    const expected = await expectedIds(admin, sql`${executions.agentId} in ('seo-audit', 'performance-audit') and ${executions.status} in ('failed', 'partial') and ${executions.createdAt} >= now() - interval '30 days'`);
    expect(rows.map((r) => r.id)).toEqual(expected);
  });

  it("keeps custom dates inclusive of both days", async () => {
    const expected = await expectedIds(admin, sql`${executions.createdAt} >= '2026-06-01T00:00:00Z' and ${executions.createdAt} < '2026-07-01T00:00:00Z'`);
    const rows = (await walkForward(admin, { from: "2026-06-01", to: "2026-06-30" })).flatMap((p) => p.rows);
    expect(rows.map((r) => r.id)).toEqual(expected);
  });

  it("an outcome and a status that exclude each other match nothing, rather than everything", async () => {
    const page = await listExecutions(admin, request({ outcome: "success", statuses: ["failed"] }));
    expect(page.rows).toEqual([]);
  });

  it("never lists another workspace's runs, even with a cursor taken from them", async () => {
    const globex = await listExecutions(globexAdmin, request());
    const page = await listExecutions(admin, request({}, { after: globex.rows[0]!.cursor, before: null }));
    expect(page.rows.every((r) => r.workspaceId === admin.workspaceId)).toBe(true);
  });

  it.each([
    ["duration", "desc"], ["duration", "asc"], ["credits", "desc"], ["credits", "asc"], ["started", "asc"],
  ] as const)("sorts by %s %s across every page, for an admin and a member, and walks back to the first page", async (by, direction) => {
    const key = by === "duration" ? durationMsKey(executions) : by === "credits" ? creditsKey(executions) : sql`${executions.createdAt}`;
    for (const [ctx, limit] of [[admin, 50], [maya, 20]] as const) {
      const filter: Partial<ListFilter> = { sort: { by, direction } };
      const pages = await walkForward(ctx, filter, limit);
      expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual(await expectedIds(ctx, undefined, key, direction === "asc"));
      const back = await listExecutions(ctx, request(filter, { after: null, before: pages[1]!.prev }, limit));
      expect(back.rows.map((r) => r.id)).toEqual(pages[0]!.rows.map((r) => r.id));
      expect(back.prev).toBeNull();
    }
  });

  it("finds a run by its full ID or its first 8 characters, and nothing of another workspace", async () => {
    const [target] = (await listExecutions(maya, request({}, { after: null, before: null }, 1))).rows;
    const byFull = await listExecutions(maya, request({ id: target!.id }));
    expect(byFull.rows.map((r) => r.id)).toEqual([target!.id]);
    const byPrefix = await listExecutions(maya, request({ id: target!.id.slice(0, 8) }));
    expect(byPrefix.rows.map((r) => r.id)).toContain(target!.id);
    expect(byPrefix.rows.every((r) => r.id.startsWith(target!.id.slice(0, 8)))).toBe(true);
    expect((await listExecutions(globexAdmin, request({ id: target!.id }))).rows).toEqual([]);
    expect(parseListRequest(new URLSearchParams(`id=${target!.id.slice(0, 8).toUpperCase()}`))).toMatchObject({ filter: { id: target!.id.slice(0, 8) } });
  });

  it("counts each status up to a cap, exactly below it", async () => {
    const db = await getDb();
    const exact = await db
      .select({ status: executions.status, n: sql<number>`count(*)::int` })
      .from(executions)
      .where(visibleExecutions(admin))
      .groupBy(executions.status);
    const byStatus = new Map(exact.map((r) => [r.status, r.n]));
    const counts = await countByStatus(admin, emptyFilter, 100);
    for (const { status, count, isCapped } of counts) {
      const n = byStatus.get(status) ?? 0;
      expect(count).toBe(Math.min(n, 100));
      expect(isCapped).toBe(n > 100);
    }
    expect(counts.find((c) => c.status === "completed")!.isCapped).toBe(true);
    const onlyFailures = await countByStatus(maya, { ...emptyFilter, outcome: "failure" });
    expect(onlyFailures.map((c) => c.status).sort()).toEqual(["failed", "partial"]);
  });
});

describe("reading filters from the URL", () => {
  it("reads repeated and comma-separated values and drops empty ones", () => {
    const parsed = parseListRequest(new URLSearchParams("agent=seo-audit&agent=analytics-review,seo-audit&status=failed&from=&range=7d"));
    expect(parsed).toMatchObject({ filter: { agents: ["seo-audit", "analytics-review"], statuses: ["failed"], range: "7d", from: null }, limit: 50 });
  });

  it.each([
    ["agent=nope", /Unknown agent “nope”/],
    ["status=done", /Unknown status “done”/],
    ["range=custom&from=2026-05-02&to=2026-05-01", /start date is after the end date/],
    ["range=custom&from=2026-02-30", /From date: That date does not exist/],
    ["from=yesterday", /From date: Use a date like/],
    ["range=7d&from=2026-05-01", /preset range or custom dates/],
    ["after=garbage", /page link is not valid/],
    [`after=${encodeCursor({ key: "2026-01-01T00:00:00.000000Z", id: "x" })}`, /page link is not valid/],
    ["id=3f2a", /first 8 characters/],
    ["id=not-an-id-at-all", /first 8 characters/],
    ["sort=agent", /Sort by started, duration or credits/],
    [`sort=credits&after=${encodeCursor({ key: "2026-01-01T00:00:00.000000Z", id: "00000000-0000-0000-0000-000000000000" })}`, /page link is not valid/],
    ["limit=0", /between 1 and 100/],
    ["limit=100000", /between 1 and 100/],
    ["limit=ten", /must be a number/],
  ])("refuses %s with a sentence", (query, message) => {
    const parsed = parseListRequest(new URLSearchParams(query));
    expect(parsed).toMatchObject({ ok: false, code: "invalid_input" });
    if ("message" in parsed) expect(parsed.message).toMatch(message);
  });
});
