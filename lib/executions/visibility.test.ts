import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions, memberships, shares, users, workflows, workspaces, type Execution, type Share } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { countByStatus } from "./list";
import { emptyFilter } from "./list-filter";
import { getVisibleExecution, listSharedWithMe } from "./queries";
import { visibleExecutions } from "./visibility";

type World = {
  all: Pick<Execution, "id" | "workspaceId" | "status" | "triggeredBy" | "workflowId" | "archivedAt">[];
  shares: Share[];
  workflowCreators: Map<string, string | null>;
  ctxs: (Ctx & { email: string })[];
};

async function loadWorld(): Promise<World> {
  const db = await getDb();
  const all = await db
    .select({ id: executions.id, workspaceId: executions.workspaceId, status: executions.status, triggeredBy: executions.triggeredBy, workflowId: executions.workflowId, archivedAt: executions.archivedAt })
    .from(executions);
  const allShares = await db.select().from(shares);
  const flows = await db.select({ id: workflows.id, createdBy: workflows.createdBy }).from(workflows);
  const members = await db
    .select({ userId: memberships.userId, workspaceId: memberships.workspaceId, role: memberships.role, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId));
  return { all, shares: allShares, workflowCreators: new Map(flows.map((f) => [f.id, f.createdBy])), ctxs: members };
}

/** The rule of DESIGN §1 written out plainly, independent of the SQL under test. */
function expectedVisible(world: World, ctx: Ctx, now = new Date()): Set<string> {
  const ids = world.all
    .filter((e) => e.workspaceId === ctx.workspaceId && e.archivedAt === null)
    .filter((e) => {
      if (ctx.role === "admin") return true;
      if (e.triggeredBy === ctx.userId) return true;
      if (e.workflowId && world.workflowCreators.get(e.workflowId) === ctx.userId) return true;
      return world.shares.some(
        (s) => s.executionId === e.id && s.kind === "member" && s.granteeUserId === ctx.userId && s.workspaceId === ctx.workspaceId &&
          s.revokedAt === null && (s.expiresAt === null || s.expiresAt > now),
      );
    })
    .map((e) => e.id);
  return new Set(ids);
}

async function visibleIds(ctx: Ctx): Promise<Set<string>> {
  const db = await getDb();
  const rows = await db.select({ id: executions.id }).from(executions).where(visibleExecutions(ctx));
  return new Set(rows.map((r) => r.id));
}

function ctxOf(world: World, email: string, workspaceSlugId?: string): Ctx {
  const found = world.ctxs.find((c) => c.email === email && (!workspaceSlugId || c.workspaceId === workspaceSlugId));
  if (!found) throw new Error(`no membership for ${email}`);
  return { userId: found.userId, workspaceId: found.workspaceId, role: found.role };
}

describe("who sees which executions", () => {
  let world: World;
  beforeAll(async () => {
    world = await loadWorld();
  });

  it("matches the visibility rule for every member of every workspace", async () => {
    expect(world.ctxs.length).toBeGreaterThanOrEqual(6);
    for (const ctx of world.ctxs) {
      const actual = await visibleIds(ctx);
      const expected = expectedVisible(world, ctx);
      expect([...actual].sort(), `${ctx.email} in ${ctx.workspaceId}`).toEqual([...expected].sort());
    }
  });

  it("counts each status of what every member of every workspace may see, runs of their workflows included", async () => {
    const byId = new Map(world.all.map((e) => [e.id, e]));
    for (const ctx of world.ctxs) {
      const expected = new Map<string, number>();
      for (const id of expectedVisible(world, ctx)) expected.set(byId.get(id)!.status, (expected.get(byId.get(id)!.status) ?? 0) + 1);
      const counts = await countByStatus(ctx, emptyFilter, 100_000);
      for (const { status, count } of counts) expect(count, `${ctx.email} in ${ctx.workspaceId}: ${status}`).toBe(expected.get(status) ?? 0);
    }
  });

  it("opens exactly the visible executions by id, for a sample across all workspaces", async () => {
    const sample = world.all.filter((_, i) => i % 37 === 0);
    expect(sample.length).toBeGreaterThan(30);
    for (const ctx of world.ctxs) {
      const expected = expectedVisible(world, ctx);
      for (const execution of sample) {
        const opened = await getVisibleExecution(ctx, execution.id);
        expect(opened?.id ?? null, `${ctx.email} opening ${execution.id}`).toBe(expected.has(execution.id) ? execution.id : null);
      }
    }
  });

  it("lets an admin see the whole workspace and nothing of another", async () => {
    const db = await getDb();
    const [acme] = await db.select().from(workspaces).where(eq(workspaces.slug, "acme"));
    const admin = ctxOf(world, "admin@acme.test", acme!.id);
    const seen = await visibleIds(admin);
    const acmeIds = world.all.filter((e) => e.workspaceId === acme!.id).map((e) => e.id);
    expect(seen.size).toBe(acmeIds.length);
    const foreign = world.all.find((e) => e.workspaceId !== acme!.id)!;
    expect(await getVisibleExecution(admin, foreign.id)).toBeNull();
  });

  it("shows a member their own runs, runs shared with them and runs of their workflows, and nothing else", async () => {
    const maya = ctxOf(world, "maya@acme.test", (await acmeId()));
    const seen = await visibleIds(maya);
    const own = world.all.filter((e) => e.triggeredBy === maya.userId && e.workspaceId === maya.workspaceId);
    const ofHerWorkflows = world.all.filter((e) => e.workflowId && world.workflowCreators.get(e.workflowId) === maya.userId);
    expect(own.length).toBeGreaterThan(0);
    expect(ofHerWorkflows.length).toBeGreaterThan(0);
    for (const e of [...own, ...ofHerWorkflows]) expect(seen.has(e.id)).toBe(true);
    const othersRuns = world.all.filter((e) => e.workspaceId === maya.workspaceId && e.triggeredBy && e.triggeredBy !== maya.userId);
    const seenOfOthers = othersRuns.filter((e) => seen.has(e.id));
    // Only what was shared with her.
    for (const e of seenOfOthers) {
      expect(world.shares.some((s) => s.executionId === e.id && s.granteeUserId === maya.userId)).toBe(true);
    }
  });

  it("stops showing a shared execution once the share is revoked or expired", async () => {
    const db = await getDb();
    const live = world.shares.find((s) => s.kind === "member" && s.revokedAt === null && s.granteeUserId);
    expect(live, "the seed has a member share").toBeDefined();
    const grantee = world.ctxs.find((c) => c.userId === live!.granteeUserId && c.workspaceId === live!.workspaceId)!;
    const execution = world.all.find((e) => e.id === live!.executionId)!;
    const isOwnOrWorkflow = execution.triggeredBy === grantee.userId ||
      (execution.workflowId !== null && world.workflowCreators.get(execution.workflowId) === grantee.userId);
    if (grantee.role === "admin" || isOwnOrWorkflow) return expect.fail("seed share must go to a member who otherwise could not see it");

    expect(await getVisibleExecution(grantee, execution.id)).not.toBeNull();
    expect((await listSharedWithMe(grantee)).map((r) => r.id)).toContain(execution.id);

    await db.update(shares).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(shares.id, live!.id));
    expect(await getVisibleExecution(grantee, execution.id)).toBeNull();

    await db.update(shares).set({ expiresAt: null, revokedAt: new Date() }).where(eq(shares.id, live!.id));
    expect(await getVisibleExecution(grantee, execution.id)).toBeNull();
    expect((await listSharedWithMe(grantee)).map((r) => r.id)).not.toContain(execution.id);

    await db.update(shares).set({ revokedAt: null }).where(eq(shares.id, live!.id));
    expect(await getVisibleExecution(grantee, execution.id)).not.toBeNull();
  });

  it("hides archived executions from everyone's history", async () => {
    const db = await getDb();
    const admin = ctxOf(world, "admin@acme.test", await acmeId());
    const [target] = await db.select({ id: executions.id }).from(executions)
      .where(and(eq(executions.workspaceId, admin.workspaceId), inArray(executions.status, ["completed"]))).limit(1);
    await db.update(executions).set({ archivedAt: new Date() }).where(eq(executions.id, target!.id));
    expect(await getVisibleExecution(admin, target!.id)).toBeNull();
    await db.update(executions).set({ archivedAt: null }).where(eq(executions.id, target!.id));
    expect(await getVisibleExecution(admin, target!.id)).not.toBeNull();
  });

  it("answers a malformed or unknown id with nothing, not an error", async () => {
    const admin = ctxOf(world, "admin@acme.test", await acmeId());
    for (const id of ["not-a-uuid", "", "'; drop table executions; --", "00000000-0000-4000-8000-000000000000", "x".repeat(5000)]) {
      expect(await getVisibleExecution(admin, id)).toBeNull();
    }
  });
});

async function acmeId(): Promise<string> {
  const db = await getDb();
  const [acme] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, "acme"));
  return acme!.id;
}
