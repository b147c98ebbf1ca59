import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { creditLedger, recommendations, usageDaily } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { runExecutionInProcess } from "@/inngest/embedded";
import { listAuditLog, parseAuditRequest } from "@/lib/audit/queries";
import type { Ctx } from "@/lib/auth/context";
import { startExecution } from "@/lib/executions/start";
import { applyRecommendations, revertRecommendation } from "@/lib/results/apply";
import { labelValue, usageByDay, usageByMember, valueByAgent } from "./insights";
import { listLedger, parseLedgerRequest } from "./ledger-list";
import { rebuildUsage } from "./usage";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;

beforeAll(async () => {
  [admin, maya, sam] = await Promise.all([seededCtx("admin@acme.test"), seededCtx("maya@acme.test"), seededCtx("sam@acme.test")]);
});

async function rollupRows(workspaceId: string) {
  const db = await getDb();
  return db.select().from(usageDaily).where(eq(usageDaily.workspaceId, workspaceId)).orderBy(asc(usageDaily.day), asc(usageDaily.agentId), asc(usageDaily.userId));
}

describe("the usage rollup", () => {
  it("kept row by row through a run, an apply and a revert, equals a rebuild from the ledger", async () => {
    const before = await usageByDay(sam, 30);
    const started = await startExecution(sam, { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 25 }, includePages: true, includeProducts: false } });
    if (!started.ok) throw new Error(started.message);
    await runExecutionInProcess({ executionId: started.executionId, workspaceId: sam.workspaceId });
    const db = await getDb();
    const recs = await db.select().from(recommendations).where(and(eq(recommendations.executionId, started.executionId), sql`field in ('title', 'meta_description')`)).limit(2);
    expect(recs).toHaveLength(2);
    const applied = await applyRecommendations(sam, started.executionId, { ids: recs.map((r) => r.id) });
    expect(applied.ok && applied.outcomes.map((o) => o.outcome)).toEqual(["applied", "applied"]);
    expect((await revertRecommendation(sam, started.executionId, recs[0]!.id)).ok).toBe(true);

    // Today's SEO audit usage grew by exactly this run: its charge, one run, one apply left standing.
    const [ledger] = await db.select({ used: sql<number>`-sum(${creditLedger.amount})::int` }).from(creditLedger).where(eq(creditLedger.executionId, started.executionId));
    const today = new Date().toISOString().slice(0, 10);
    const seoToday = (rows: Awaited<ReturnType<typeof usageByDay>>) => rows.find((r) => r.day === today && r.agentId === "seo-audit") ?? { credits: 0, runs: 0 };
    const after = await usageByDay(sam, 30);
    expect(seoToday(after).credits - seoToday(before).credits).toBe(ledger!.used);
    expect(seoToday(after).runs - seoToday(before).runs).toBe(1);

    const kept = await rollupRows(sam.workspaceId);
    await db.transaction((tx) => rebuildUsage(tx, sam.workspaceId));
    expect(await rollupRows(sam.workspaceId)).toEqual(kept);
  });

  it("shows members their own usage only, and admins everyone's with a per-member breakdown", async () => {
    const db = await getDb();
    const mine = await db
      .select({ credits: sql<number>`coalesce(sum(${usageDaily.creditsUsed}), 0)::int` })
      .from(usageDaily)
      .where(and(eq(usageDaily.workspaceId, maya.workspaceId), eq(usageDaily.userId, maya.userId), sql`${usageDaily.day} > (now() at time zone 'UTC')::date - 90`));
    const mayaValue = await valueByAgent(maya, 90);
    expect(mayaValue.reduce((sum, v) => sum + v.credits, 0)).toBe(mine[0]!.credits);
    expect(await usageByMember(maya, 90)).toBeNull();

    const members = await usageByMember(admin, 90);
    const adminValue = await valueByAgent(admin, 90);
    expect(members!.reduce((sum, m) => sum + m.credits, 0)).toBe(adminValue.reduce((sum, v) => sum + v.credits, 0));
    expect(members!.find((m) => m.userId === maya.userId)?.credits).toBe(mine[0]!.credits);
    expect(members!.length).toBeGreaterThan(1);
  });

  it("labels agents by the share of their recommendations applied", () => {
    expect(labelValue(19, 19)).toBe("unrated");
    expect(labelValue(100, 25)).toBe("high");
    expect(labelValue(100, 24)).toBe("moderate");
    expect(labelValue(100, 10)).toBe("moderate");
    expect(labelValue(100, 9)).toBe("low");
  });
});

describe("the ledger and audit log lists", () => {
  it("filters the ledger by agent and member, keeps members to their own rows, and pages without gaps", async () => {
    const request = parseLedgerRequest(new URLSearchParams({ agent: "seo-audit", member: maya.userId }));
    if (!request.ok) throw new Error(request.message);
    const seen = new Set<number>();
    let after = request.after;
    for (let page = 0; page < 50; page++) {
      const listed = await listLedger(admin, { filter: request.filter, after }, 7);
      for (const row of listed.rows) {
        expect(row).toMatchObject({ agentId: "seo-audit", userId: maya.userId });
        expect(seen.has(row.id)).toBe(false);
        seen.add(row.id);
      }
      if (!listed.next) break;
      after = listed.next;
    }
    const db = await getDb();
    const [all] = await db.select({ n: sql<number>`count(*)::int` }).from(creditLedger).where(and(eq(creditLedger.workspaceId, admin.workspaceId), eq(creditLedger.agentId, "seo-audit"), eq(creditLedger.userId, maya.userId)));
    expect(seen.size).toBe(Math.min(all!.n, 350));

    // A member asking for someone else's movements still gets only their own.
    const asked = parseLedgerRequest(new URLSearchParams({ member: sam.userId }));
    if (!asked.ok) throw new Error(asked.message);
    const mayaView = await listLedger(maya, asked, 100);
    expect(mayaView.rows.every((row) => row.userId === maya.userId)).toBe(true);
  });

  it("answers malformed filters with a sentence", () => {
    expect(parseLedgerRequest(new URLSearchParams({ from: "2026-13-01" }))).toMatchObject({ ok: false, code: "invalid_input", message: "From date: That date does not exist." });
    expect(parseLedgerRequest(new URLSearchParams({ from: "2026-05-02", to: "2026-05-01" }))).toMatchObject({ ok: false, message: "The start date is after the end date." });
    expect(parseLedgerRequest(new URLSearchParams({ agent: "robot" }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(parseLedgerRequest(new URLSearchParams({ after: "garbage" }))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(parseAuditRequest(new URLSearchParams({ category: "everything" }))).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("lists the audit log to admins by kind of action, and refuses members", async () => {
    const request = parseAuditRequest(new URLSearchParams({ category: "shares" }));
    if (!request.ok) throw new Error(request.message);
    const page = await listAuditLog(admin, request);
    if (!page.ok) throw new Error(page.message);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((row) => row.action.startsWith("share."))).toBe(true);
    expect(await listAuditLog(maya, request)).toMatchObject({ ok: false, code: "forbidden" });
    const runs = parseAuditRequest(new URLSearchParams({ category: "runs", actor: sam.userId }));
    if (!runs.ok) throw new Error(runs.message);
    const started = await listAuditLog(admin, runs);
    expect(started.ok && started.rows.some((row) => row.action === "execution.started" && row.actorUserId === sam.userId)).toBe(true);
  });
});
