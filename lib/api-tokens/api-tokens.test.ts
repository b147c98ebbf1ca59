import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiTokens, auditLog, notifications, storeProducts } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import { insertExecution } from "@/db/testing/fresh-workspace";
import * as archivedRoute from "@/app/api/archived/[id]/route";
import * as auditRoute from "@/app/api/audit/route";
import * as ledgerRoute from "@/app/api/credits/ledger/route";
import * as exportRoute from "@/app/api/executions/[id]/export/[format]/route";
import * as logRoute from "@/app/api/executions/[id]/log/route";
import * as progressRoute from "@/app/api/executions/[id]/progress/route";
import * as compareRoute from "@/app/api/executions/compare/route";
import * as historyExportRoute from "@/app/api/executions/export/route";
import * as executionsRoute from "@/app/api/executions/route";
import * as readRoute from "@/app/api/notifications/[id]/read/route";
import * as notificationsRoute from "@/app/api/notifications/route";
import * as reportFileRoute from "@/app/api/report-files/[fileId]/route";
import * as storeRoute from "@/app/api/store/[type]/[id]/route";
import type { Ctx } from "@/lib/auth/context";
import { archiveExpiredExecutions } from "@/lib/retention/archive";
import { callWithToken } from "./testing";
import { createApiToken, listApiTokens, revokeApiToken } from "./tokens";

async function tokenFor(ctx: Ctx, input: { kind?: "personal" | "workspace"; scope: "read" | "read_apply" | "admin_read"; expiresIn?: string }): Promise<string> {
  const created = await createApiToken(ctx, { name: `${input.kind ?? "personal"} ${input.scope}`, expiresIn: "90", ...input });
  if (!created.ok || created.isRepeat) throw new Error(created.ok ? "A repeat" : created.message);
  return created.token;
}

let people: Awaited<ReturnType<typeof seededPeople>>;
let ids: { run: string; otherRun: string; file: string; product: string; archived: string; notice: Record<string, string> };
let tokens: Record<"mayaRead" | "mayaApply" | "workspaceRead" | "adminRead" | "revoked" | "expired" | "globex", string>;

beforeAll(async () => {
  people = await seededPeople();
  const { admin, maya, globexAdmin } = people;
  const db = await getDb();
  const recs = [{ itemLabel: "Home", before: "Home", after: "Home — shop", rationale: "Too short" }];
  const run = await createFinishedExecution(maya, { recommendations: recs });
  const otherRun = await createFinishedExecution(maya, { recommendations: recs });
  const old = await insertExecution(admin, { createdAt: new Date(Date.now() - 800 * 24 * 3600_000) });
  await archiveExpiredExecutions();
  const [product] = await db.select({ id: storeProducts.id }).from(storeProducts).where(eq(storeProducts.workspaceId, maya.workspaceId)).limit(1);
  const notice: Record<string, string> = {};
  for (const [key, ctx] of Object.entries({ maya, admin, globex: globexAdmin })) {
    const [row] = await db.insert(notifications).values({ workspaceId: ctx.workspaceId, userId: ctx.userId, kind: "completion", title: "Done", body: "A run finished", dedupeKey: `api-token-test:${key}` }).returning({ id: notifications.id });
    notice[key] = row!.id;
  }
  tokens = {
    mayaRead: await tokenFor(maya, { scope: "read" }),
    mayaApply: await tokenFor(maya, { scope: "read_apply" }),
    workspaceRead: await tokenFor(admin, { kind: "workspace", scope: "read" }),
    adminRead: await tokenFor(admin, { kind: "workspace", scope: "admin_read" }),
    revoked: await tokenFor(maya, { scope: "read_apply" }),
    expired: await tokenFor(maya, { scope: "read_apply" }),
    globex: await tokenFor(globexAdmin, { kind: "workspace", scope: "admin_read" }),
  };
  const [revokedRow] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.tokenPrefix, tokens.revoked.slice(0, 11)));
  expect(await revokeApiToken(maya, revokedRow!.id)).toEqual({ ok: true });
  await db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.tokenPrefix, tokens.expired.slice(0, 11)));
  const exported = await callWithToken(exportRoute.GET, `/api/executions/${run.id}/export/csv`, tokens.mayaRead, { id: run.id, format: "csv" });
  expect(exported.status).toBe(200);
  await exported.text();
  ids = { run: run.id, otherRun: otherRun.id, file: exported.headers.get("x-report-file")!.split("/").pop()!, product: product!.id, archived: old.id, notice };
});

type TokenCase = keyof typeof tokens;
type Row = { name: string; need: "read" | "admin"; call: (token: string, who: TokenCase) => Promise<Response>; globex: number };

const rows: Row[] = [
  { name: "GET /api/executions", need: "read", globex: 200, call: (t) => callWithToken(executionsRoute.GET, "/api/executions", t) },
  { name: "GET /api/executions/export", need: "read", globex: 200, call: (t) => callWithToken(historyExportRoute.GET, "/api/executions/export", t) },
  { name: "GET /api/executions/:id/export/csv", need: "read", globex: 404, call: (t) => callWithToken(exportRoute.GET, `/api/executions/${ids.run}/export/csv`, t, { id: ids.run, format: "csv" }) },
  { name: "GET /api/executions/:id/export/pdf", need: "read", globex: 404, call: (t) => callWithToken(exportRoute.GET, `/api/executions/${ids.run}/export/pdf`, t, { id: ids.run, format: "pdf" }) },
  { name: "GET /api/executions/:id/log", need: "read", globex: 404, call: (t) => callWithToken(logRoute.GET, `/api/executions/${ids.run}/log`, t, { id: ids.run }) },
  { name: "GET /api/executions/:id/progress", need: "read", globex: 404, call: (t) => callWithToken(progressRoute.GET, `/api/executions/${ids.run}/progress`, t, { id: ids.run }) },
  { name: "GET /api/executions/compare", need: "read", globex: 404, call: (t) => callWithToken(compareRoute.GET, `/api/executions/compare?ids=${ids.run},${ids.otherRun}`, t) },
  { name: "GET /api/notifications", need: "read", globex: 200, call: (t) => callWithToken(notificationsRoute.GET, "/api/notifications", t) },
  {
    name: "POST /api/notifications/:id/read", need: "read", globex: 200,
    call: (t, who) => {
      const id = ids.notice[who === "globex" ? "globex" : who === "workspaceRead" || who === "adminRead" ? "admin" : "maya"]!;
      return callWithToken(readRoute.POST, `/api/notifications/${id}/read`, t, { id }, { method: "POST" });
    },
  },
  { name: "GET /api/report-files/:id", need: "read", globex: 404, call: (t) => callWithToken(reportFileRoute.GET, `/api/report-files/${ids.file}`, t, { fileId: ids.file }) },
  { name: "GET /api/store/products/:id", need: "read", globex: 404, call: (t) => callWithToken(storeRoute.GET, `/api/store/products/${ids.product}`, t, { type: "products", id: ids.product }) },
  { name: "GET /api/credits/ledger", need: "admin", globex: 200, call: (t) => callWithToken(ledgerRoute.GET, "/api/credits/ledger", t) },
  { name: "GET /api/audit", need: "admin", globex: 200, call: (t) => callWithToken(auditRoute.GET, "/api/audit", t) },
  { name: "GET /api/archived/:id", need: "admin", globex: 404, call: (t) => callWithToken(archivedRoute.GET, `/api/archived/${ids.archived}`, t, { id: ids.archived }) },
];

/** What each token gets from a route that needs `need`. */
function expectedStatus(row: Row, who: TokenCase): number {
  if (who === "revoked" || who === "expired") return 401;
  if (who === "globex") return row.globex;
  if (row.need === "admin") return who === "adminRead" ? 200 : 403;
  return 200;
}

describe("API tokens on every member route", () => {
  it("answers each token as its scope, its state and its owner's visibility allow", async () => {
    const seen: string[] = [];
    for (const row of rows) {
      for (const who of Object.keys(tokens) as TokenCase[]) {
        const response = await row.call(tokens[who], who);
        seen.push(`${row.name} as ${who}: ${response.status}`);
        const expected = expectedStatus(row, who);
        expect(response.status, `${row.name} as ${who}: ${response.status === 200 ? "" : await response.clone().text()}`).toBe(expected);
        if (expected !== 200) expect((await response.json()).error.message, `${row.name} as ${who}`).toMatch(/\w+ \w+.*\./);
        else await response.body?.cancel();
      }
    }
    expect(seen).toHaveLength(rows.length * Object.keys(tokens).length);
  });

  it("lists only what the owner sees: another member's token does not find Maya's run, another workspace's token lists none of Acme's runs", async () => {
    const sam = await tokenFor(people.sam, { scope: "read" });
    const samsView = await callWithToken(progressRoute.GET, `/api/executions/${ids.run}/progress`, sam, { id: ids.run });
    expect(samsView.status).toBe(404);
    const mayas = (await (await callWithToken(executionsRoute.GET, `/api/executions?id=${ids.run}`, tokens.mayaRead)).json()) as { executions: { id: string }[] };
    expect(mayas.executions.map((e) => e.id)).toContain(ids.run);
    const globexs = (await (await callWithToken(executionsRoute.GET, `/api/executions?id=${ids.run}`, tokens.globex)).json()) as { executions: { id: string }[] };
    expect(globexs.executions.map((e) => e.id)).not.toContain(ids.run);
    expect(globexs.executions).toEqual([]);
  });

  it("says why a token is refused: not a token, revoked, expired, out of scope", async () => {
    const bad = await callWithToken(executionsRoute.GET, "/api/executions", "rl_nope");
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.message).toMatch(/not a Runlog API token/);
    const unknown = await callWithToken(executionsRoute.GET, "/api/executions", `rl_${"A".repeat(43)}`);
    expect((await unknown.json()).error.message).toMatch(/not valid/);
    expect((await (await callWithToken(executionsRoute.GET, "/api/executions", tokens.revoked)).json()).error.message).toMatch(/^This API token was revoked on \d{4}-\d\d-\d\d\./);
    expect((await (await callWithToken(executionsRoute.GET, "/api/executions", tokens.expired)).json()).error.message).toMatch(/^This API token expired on \d{4}-\d\d-\d\d\./);
    const outOfScope = await callWithToken(ledgerRoute.GET, "/api/credits/ledger", tokens.mayaApply);
    expect(outOfScope.status).toBe(403);
    expect((await outOfScope.json()).error.message).toBe("The credit ledger, audit log and archive need an admin-read workspace token. This one's scope is read+apply.");
  });
});

describe("API token lifecycle", () => {
  it("shows a token once, keeps only its hash, records last use, and audits create, revoke and refused use", async () => {
    const { maya, admin } = people;
    const created = await createApiToken(maya, { name: "BI sheet", scope: "read", expiresIn: "30" });
    if (!created.ok || created.isRepeat) throw new Error(created.ok ? "A repeat" : created.message);
    expect(created.token).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);
    const db = await getDb();
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(3));
    expect(row!.tokenPrefix).toBe(created.token.slice(0, 11));

    expect((await callWithToken(executionsRoute.GET, "/api/executions", created.token)).status).toBe(200);
    const listed = (await listApiTokens(maya)).find((t) => t.id === created.id)!;
    expect(listed).toMatchObject({ name: "BI sheet", scope: "read", lastUsedIp: "203.0.113.9", canRevoke: true });
    expect(listed.lastUsedAt).toBeInstanceOf(Date);
    // A member sees only their own tokens; an admin sees all of the workspace's and may revoke them.
    expect((await listApiTokens(people.sam)).map((t) => t.id)).not.toContain(created.id);
    expect((await listApiTokens(admin)).find((t) => t.id === created.id)).toMatchObject({ canRevoke: true });
    expect(await revokeApiToken(people.sam, created.id)).toMatchObject({ ok: false, code: "not_found" });

    expect(await revokeApiToken(maya, created.id)).toEqual({ ok: true });
    expect(await revokeApiToken(maya, created.id)).toMatchObject({ ok: false, code: "conflict" });
    const after = await callWithToken(executionsRoute.GET, "/api/executions", created.token);
    expect(after.status).toBe(401);

    const entries = await db.select().from(auditLog).where(eq(auditLog.targetId, created.id)).orderBy(auditLog.id);
    expect(entries.map((e) => [e.action, e.actorUserId, (e.data as { reason?: string }).reason ?? null])).toEqual([
      ["api_token.created", maya.userId, null],
      ["api_token.revoked", maya.userId, null],
      ["api_token.denied", maya.userId, "revoked"],
    ]);
    expect(entries[2]!.ipAddress).toBe("203.0.113.9");
  });

  it("makes one token for a form's try sent twice, one after the other or at once, and shows its value only to the first; another person's same id makes their own", async () => {
    const { maya, sam, globexAdmin } = people;
    const db = await getDb();
    const named = async (name: string) => db.select({ id: apiTokens.id, userId: apiTokens.userId }).from(apiTokens).where(eq(apiTokens.name, name));
    const audited = async (id: string) => (await db.select().from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "api_token.created")))).length;
    const input = { name: `Nightly export ${randomUUID()}`, scope: "read", expiresIn: "30", submissionId: randomUUID() };

    const first = await createApiToken(maya, input);
    if (!first.ok || first.isRepeat) throw new Error(first.ok ? "A repeat" : first.message);
    // Sent again after its answer was lost: the token the first try made, without its value, which nobody can see again.
    const again = await createApiToken(maya, input);
    expect(again).toEqual({ ok: true, id: first.id, tokenPrefix: first.token.slice(0, 11), token: null, isRepeat: true });
    expect(JSON.stringify(again)).not.toContain(first.token.slice(11));
    expect(await named(input.name)).toEqual([{ id: first.id, userId: maya.userId }]);
    expect(await audited(first.id)).toBe(1);

    const atOnce = { ...input, name: `Sent at once ${randomUUID()}`, submissionId: randomUUID() };
    const both = await Promise.all([createApiToken(maya, atOnce), createApiToken(maya, atOnce)]);
    expect(both.map((answer) => answer.ok && answer.isRepeat).sort()).toEqual([false, true]);
    const made = await named(atOnce.name);
    expect(made).toHaveLength(1);
    expect(both.map((answer) => answer.ok && answer.id)).toEqual([made[0]!.id, made[0]!.id]);
    expect(both.filter((answer) => answer.ok && answer.token !== null)).toHaveLength(1);
    expect(await audited(made[0]!.id)).toBe(1);

    // The same id from another person, or in another workspace, tells them nothing of Maya's token.
    expect(await createApiToken(sam, atOnce)).toMatchObject({ ok: true, isRepeat: false, token: expect.stringMatching(/^rl_/) });
    expect(await createApiToken(globexAdmin, atOnce)).toMatchObject({ ok: true, isRepeat: false, token: expect.stringMatching(/^rl_/) });
    expect((await named(atOnce.name)).map((token) => token.userId).sort()).toEqual([maya.userId, sam.userId, globexAdmin.userId].sort());
  });

  it("refuses what a scope or role does not allow", async () => {
    expect(await createApiToken(people.maya, { name: "x", kind: "workspace", scope: "read", expiresIn: "30" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await createApiToken(people.admin, { name: "x", kind: "personal", scope: "admin_read", expiresIn: "30" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await createApiToken(people.maya, { name: " ", scope: "read", expiresIn: "30" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await createApiToken(people.maya, { name: "x", scope: "read", expiresIn: "7" })).toMatchObject({ ok: false, message: expect.stringMatching(/30, 90 or 365 days, or never/) });
  });

  it("stops a workspace token when its admin is no longer an admin", async () => {
    const db = await getDb();
    const { createFreshWorkspace } = await import("@/db/testing/fresh-workspace");
    const { people: fresh } = await createFreshWorkspace([{ key: "boss", role: "admin" }]);
    const token = await tokenFor(fresh.boss!, { kind: "workspace", scope: "read" });
    expect((await callWithToken(executionsRoute.GET, "/api/executions", token)).status).toBe(200);
    const { memberships } = await import("@/db/schema");
    await db.update(memberships).set({ role: "member" }).where(eq(memberships.userId, fresh.boss!.userId));
    const refused = await callWithToken(executionsRoute.GET, "/api/executions", token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/no longer an admin/);
  });
});

describe("API token rate limit", () => {
  it("answers 429 with Retry-After once a token passes its per-minute limit, counting concurrent requests once each", async () => {
    process.env.API_TOKEN_RATE_LIMIT = "10";
    try {
      const token = await tokenFor(people.maya, { scope: "read" });
      const statuses = await Promise.all(Array.from({ length: 16 }, () => callWithToken(progressRoute.GET, `/api/executions/${ids.run}/progress`, token, { id: ids.run }).then((r) => r)));
      expect(statuses.filter((r) => r.status === 200)).toHaveLength(10);
      const limited = statuses.filter((r) => r.status === 429);
      expect(limited).toHaveLength(6);
      const retryAfter = Number(limited[0]!.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await limited[0]!.json()).error.message).toMatch(/more than 10 requests in a minute; try again in \d+ s\./);
      // Another token of the same person has its own count.
      const other = await tokenFor(people.maya, { scope: "read" });
      expect((await callWithToken(progressRoute.GET, `/api/executions/${ids.run}/progress`, other, { id: ids.run })).status).toBe(200);
    } finally {
      delete process.env.API_TOKEN_RATE_LIMIT;
    }
  });
});
