/**
 * The demo data: two workspaces (Acme Outfitters, with a busy history, and Globex Goods,
 * to prove isolation), their stores, fifteen months of agent runs with everything they
 * produced, credits, workflows and shares. Deterministic for a given `now`.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  actionItems, creditAccounts, creditLedger, executionItems, executionLogs, executionResults, executions,
  memberships, notificationSettings, platformConnections, recommendations, shares, storeOrders, storePages, storeProducts,
  storeTrafficDaily, users, workflows, workspaces,
} from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/passwords";
import { rebuildUsage } from "@/lib/credits/usage";
import { indexRunsForSearch } from "@/lib/executions/search";
import type { AgentId } from "@/lib/agents/catalog";
import { insertInBatches, yieldToRequests } from "./batches";
import { generateHistory, salesDays } from "./executions";
import { demoPassword, seedUsers, seedWorkspaces } from "./people";
import { dayMs, SeededRandom } from "./random";
import { acmeCatalogue, generatePages, generateProducts, generateSales, globexCatalogue } from "./store";

export { demoPassword } from "./people";

export type SeedSummary = {
  logins: { email: string; password: string; role: "admin" | "member"; workspace: string }[];
  counts: Record<string, number>;
};

/** Runs whose search documents one statement builds (about a second's work in PGlite). */
const runsIndexedAtOnce = 100;

export async function seedDemo(db: Db, options: { now?: Date } = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const rng = new SeededRandom(20261125);
  const userIds = new Map(seedUsers.map((u) => [u.key, rng.uuid()]));
  const passwordHash = await hashPassword(demoPassword);
  const counts: Record<string, number> = {};
  const count = (name: string, n: number) => (counts[name] = (counts[name] ?? 0) + n);

  await db.transaction(async (tx) => {
    await tx.insert(users).values(seedUsers.map((u) => ({ id: userIds.get(u.key)!, email: u.email, name: u.name, timeZone: u.timeZone, passwordHash, createdAt: new Date(now.getTime() - 470 * dayMs) })));
    count("users", seedUsers.length);

    for (const [index, ws] of seedWorkspaces.entries()) {
      const workspaceId = rng.uuid();
      const connectionId = rng.uuid();
      // Each part of a workspace draws from a stream of its own (see SeededRandom.stream).
      const stream = (n: number) => rng.stream(1 + index * streamsPerWorkspace + n);
      const createdAt = new Date(now.getTime() - 470 * dayMs);
      await tx.insert(workspaces).values({ id: workspaceId, name: ws.name, slug: ws.key, createdAt });
      await tx.insert(memberships).values(ws.members.map((m, n) => ({ workspaceId, userId: userIds.get(m.userKey)!, role: m.role, createdAt: new Date(createdAt.getTime() + (index * 10 + n) * 60_000) })));
      await tx.insert(notificationSettings).values(ws.members.map((m) => ({ workspaceId, userId: userIds.get(m.userKey)!, isWorkspaceFailureEnabled: m.role === "admin" })));
      await tx.insert(platformConnections).values({ id: connectionId, workspaceId, kind: "demo", name: `${ws.name} demo store`, createdAt });

      const isAcme = ws.key === "acme";
      const catalogue = isAcme ? acmeCatalogue : globexCatalogue;
      const storeRandom = stream(0);
      const products = generateProducts(storeRandom, catalogue, isAcme ? 2_160 : 60, isAcme ? "ACM" : "GLX");
      const pages = generatePages(storeRandom, Object.keys(catalogue.collections), isAcme ? 42 : 4, ws.name);
      const { orders, traffic } = generateSales(stream(1), now, salesDays, isAcme ? 26 : 6);
      const storeRow = { workspaceId, connectionId };
      await insertInBatches(tx, storeProducts, products.map((p) => ({ ...storeRow, ...p })));
      await insertInBatches(tx, storePages, pages.map((p) => ({ ...storeRow, ...p })));
      await insertInBatches(tx, storeOrders, orders.map((o) => ({ ...storeRow, ...o })));
      await insertInBatches(tx, storeTrafficDaily, traffic.map((t) => ({ ...storeRow, ...t })));
      count("products", products.length);
      count("pages", pages.length);
      count("orders", orders.length);

      const memberIds = ws.members.map((m) => ({ userId: userIds.get(m.userKey)!, weight: m.weight }));
      const plannedWorkflows = isAcme ? acmeWorkflows(stream(2), now, userIds) : [];
      for (const wf of plannedWorkflows) {
        await tx.insert(workflows).values({
          id: wf.id, workspaceId, name: wf.name, agentId: wf.agentId, settings: wf.settings, schedule: wf.schedule, createdBy: wf.createdBy,
          lastRunAt: wf.runs[wf.runs.length - 1] ?? null, nextRunAt: wf.nextRunAt, createdAt: new Date(wf.runs[0]!.getTime() - dayMs),
        });
      }
      const revenueByDay = new Map<string, number>();
      for (const o of orders) {
        const day = o.placedAt.toISOString().slice(0, 10);
        revenueByDay.set(day, (revenueByDay.get(day) ?? 0) + o.totalCents);
      }
      const metaByRef = new Map<string, string | null>([...products, ...pages].map((item) => [item.id, item.metaDescription]));
      const history = generateHistory({
        rng: stream(3), runRandom: (key) => runStream(stream, key), now, workspaceId, connectionId, storeName: `${ws.name} demo store`, members: memberIds, products, pages, traffic, revenueByDay, metaByRef,
        count: ws.executionCount, workflows: plannedWorkflows, withLiveRuns: isAcme, grants: { initial: ws.initialGrant, monthly: ws.monthlyGrant },
      });
      await insertInBatches(tx, executions, history.executions);
      await insertInBatches(tx, executionItems, history.items);
      await insertInBatches(tx, executionLogs, history.logs);
      await insertInBatches(tx, executionResults, history.results);
      await insertInBatches(tx, recommendations, history.recommendations);
      await insertInBatches(tx, actionItems, history.actionItems);
      for (let start = 0; start < history.executions.length; start += runsIndexedAtOnce) {
        const ids = history.executions.slice(start, start + runsIndexedAtOnce).map((execution) => sql`${execution.id!}::uuid`);
        await indexRunsForSearch(tx, sql`e.id in (${sql.join(ids, sql`, `)})`);
        await yieldToRequests();
      }
      await insertInBatches(tx, creditLedger, history.ledger);
      await tx.insert(creditAccounts).values({ workspaceId, balance: history.balance, updatedAt: now });
      await rebuildUsage(tx, workspaceId);
      count("executions", history.executions.length);
      count("execution_items", history.items.length);
      count("execution_logs", history.logs.length);
      count("recommendations", history.recommendations.length);
      count("ledger", history.ledger.length);

      if (isAcme) await seedShares(tx, stream(4), workspaceId, history.executions, memberIds[0]!.userId, userIds, now);
    }
  });
  // Fresh statistics so the first queries plan well, and the visibility map autovacuum would
  // have written by the time anyone reads: without it every index-only scan (a status count, a
  // run's downloadable contents) reads the table too, and the planner turns to scanning it.
  await db.execute(sql`vacuum analyze`);

  const logins = seedWorkspaces.flatMap((ws) =>
    ws.members
      .filter((m) => m.weight > 0 || m.role === "admin")
      .map((m) => ({ email: seedUsers.find((u) => u.key === m.userKey)!.email, password: demoPassword, role: m.role, workspace: ws.name })),
  );
  return { logins, counts };
}

const streamsPerWorkspace = 2048;
const firstRunStream = 16;

function runStream(stream: (n: number) => SeededRandom, key: number): SeededRandom {
  if (key >= streamsPerWorkspace - firstRunStream) throw new Error(`the demo workspace has more runs than its ${streamsPerWorkspace - firstRunStream} seed streams`);
  return stream(firstRunStream + key);
}

function acmeWorkflows(rng: SeededRandom, now: Date, userIds: Map<string, string>) {
  const mondays: Date[] = [];
  const nights: Date[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = 150; d >= 1; d--) {
    const day = new Date(today - d * dayMs);
    if (d <= 120) nights.push(new Date(day.getTime() + 2 * 3600_000 + rng.int(0, 40) * 1000));
    if (day.getUTCDay() === 1) mondays.push(new Date(day.getTime() + 6 * 3600_000 + rng.int(0, 40) * 1000));
  }
  const nextMonday = new Date(today + (((8 - new Date(today).getUTCDay()) % 7) || 7) * dayMs + 6 * 3600_000);
  return [
    {
      id: rng.uuid(), name: "Weekly SEO audit", agentId: "seo-audit" as AgentId, schedule: "0 6 * * 1", createdBy: userIds.get("maya")!,
      settings: { scope: { mode: "all", maxItems: 100 }, includePages: true, includeProducts: true, titleMaxLength: 60, metaMinLength: 70, metaMaxLength: 160 }, runs: mondays, nextRunAt: nextMonday,
    },
    {
      id: rng.uuid(), name: "Nightly analytics review", agentId: "analytics-review" as AgentId, schedule: "0 2 * * *", createdBy: userIds.get("acme-admin")!,
      settings: { scope: { mode: "all", maxItems: 7 }, periodDays: 7, compareWithPrevious: true }, runs: nights,
      nextRunAt: new Date(today + dayMs + 2 * 3600_000),
    },
  ];
}

/** The admin shares a few of their own runs with members, so "Shared with me" has something. */
async function seedShares(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  rng: SeededRandom,
  workspaceId: string,
  rows: { id?: string; triggeredBy?: string | null; status?: string; finishedAt?: Date | null }[],
  adminId: string,
  userIds: Map<string, string>,
  now: Date,
) {
  const adminRuns = rows.filter((r) => r.triggeredBy === adminId && r.status === "completed" && r.finishedAt && r.finishedAt.getTime() > now.getTime() - 30 * dayMs);
  const picks = rng.sample(adminRuns, 3);
  const grants = [
    { userKey: "sam", permission: "view" as const, message: "Have a look at the lowest-scoring products before Friday's review." },
    { userKey: "lee", permission: "apply" as const, message: "Can you apply the high-priority fixes on the footwear pages?" },
    { userKey: "maya", permission: "view" as const, message: null },
  ];
  for (const [n, execution] of picks.entries()) {
    const grant = grants[n]!;
    const createdAt = new Date(execution.finishedAt!.getTime() + 3600_000);
    const shareId = rng.uuid();
    await tx.insert(shares).values({ id: shareId, workspaceId, executionId: execution.id!, kind: "member", granteeUserId: userIds.get(grant.userKey)!, permission: grant.permission, message: grant.message, createdBy: adminId, createdAt });
    await recordAudit(tx, { workspaceId, userId: adminId }, { action: "share.created", target: shareId, data: { executionId: execution.id!, kind: "member", granteeUserId: userIds.get(grant.userKey)!, permission: grant.permission }, at: createdAt });
  }
}
