/**
 * A small factory for notification and retention tests: an empty workspace of its own (so
 * counts are exactly what a test made, whatever the seed holds), its people, and executions
 * with the timestamps, statuses and heavy rows a test names.
 */
import { randomUUID } from "node:crypto";
import { getDb } from "@/db/client";
import {
  actionItems, creditAccounts, creditLedger, executionItems, executionLogs, executionResults, executions, memberships, notificationSettings,
  recommendations, users, workspaces, type Execution, type MemberRole,
} from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import type { NotificationPreferences } from "@/lib/notifications/settings";

export type FreshPerson = Ctx & { email: string };

export async function createFreshWorkspace(people: { key: string; role: MemberRole; timeZone?: string; preferences?: Partial<NotificationPreferences> }[], options: { balance?: number } = {}) {
  const db = await getDb();
  const tag = randomUUID().slice(0, 8);
  const [workspace] = await db.insert(workspaces).values({ name: `Test ${tag}`, slug: `test-${tag}` }).returning();
  const byKey: Record<string, FreshPerson> = {};
  for (const person of people) {
    const email = `${person.key}-${tag}@example.test`;
    const [user] = await db.insert(users).values({ email, name: `${person.key} ${tag}`, timeZone: person.timeZone ?? "UTC" }).returning();
    await db.insert(memberships).values({ workspaceId: workspace!.id, userId: user!.id, role: person.role });
    if (person.preferences) await db.insert(notificationSettings).values({ workspaceId: workspace!.id, userId: user!.id, ...person.preferences });
    byKey[person.key] = { userId: user!.id, workspaceId: workspace!.id, role: person.role, email };
  }
  const balance = options.balance ?? 1_000;
  await db.insert(creditAccounts).values({ workspaceId: workspace!.id, balance });
  await db.insert(creditLedger).values({ workspaceId: workspace!.id, kind: "grant", amount: balance, balanceAfter: balance, idempotencyKey: `grant:${tag}` });
  return { workspace: workspace!, people: byKey };
}

export type ExecutionSpec = Partial<Pick<Execution, "agentId" | "status" | "createdAt" | "startedAt" | "finishedAt" | "creditsCharged" | "creditsReserved" | "itemsProcessed" | "itemsFailed" | "errorMessage" | "errorHint" | "errorCode" | "workflowId" | "triggeredBy">> & {
  /** Adds two items, a log line, a result, a recommendation and an action item. */
  withRows?: boolean;
  recommendationCreatedAt?: Date;
};

export async function insertExecution(ctx: Ctx, spec: ExecutionSpec = {}): Promise<Execution> {
  const db = await getDb();
  const createdAt = spec.createdAt ?? new Date();
  const [execution] = await db
    .insert(executions)
    .values({
      workspaceId: ctx.workspaceId, agentId: spec.agentId ?? "seo-audit", agentVersion: "1.4.0", status: spec.status ?? "completed",
      settings: {}, scope: { mode: "all", maxItems: 10 }, itemsTotal: 2, itemsProcessed: spec.itemsProcessed ?? 2, itemsFailed: spec.itemsFailed ?? 0,
      creditsReserved: spec.creditsReserved ?? spec.creditsCharged ?? 9, creditsCharged: spec.creditsCharged ?? 9, errorMessage: spec.errorMessage, errorHint: spec.errorHint,
      errorCode: spec.errorCode, workflowId: spec.workflowId, triggeredBy: spec.triggeredBy === undefined ? ctx.userId : spec.triggeredBy, createdAt,
      startedAt: spec.startedAt ?? createdAt, finishedAt: spec.finishedAt ?? new Date(createdAt.getTime() + 60_000), preview: "Test run",
    })
    .returning();
  if (spec.withRows) {
    const base = { executionId: execution!.id, workspaceId: ctx.workspaceId };
    await db.insert(executionItems).values([
      { ...base, itemType: "page", itemRef: "page:1", itemLabel: "Home", outcome: "processed", score: 80 },
      { ...base, itemType: "page", itemRef: "page:2", itemLabel: "About", outcome: "processed", score: 60 },
    ]);
    await db.insert(executionLogs).values({ ...base, seq: 1, step: "start", message: "Started" });
    await db.insert(executionResults).values({ ...base, kind: "report", title: "Report", payload: { summary: "fine" } });
    await db.insert(recommendations).values({
      ...base, itemType: "page", itemRef: "page:2", itemLabel: "About", field: "title", beforeValue: "About", afterValue: "About us",
      priority: "high", rationale: "Too short", createdAt: spec.recommendationCreatedAt ?? createdAt,
    });
    await db.insert(actionItems).values({ ...base, position: 0, priority: "medium", title: "Fix images", detail: "Add alt text" });
  }
  return execution!;
}
