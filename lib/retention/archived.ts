/** The Archived page (admins): executions past retention, searchable, and their data on request. */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executionArchives, users } from "@/db/schema";
import { agentIds, type AgentId } from "@/lib/agents/catalog";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";
import { dayRangeFields, isInOrder, parseQuery, queryFields, reversedDaysMessage, type QueryParams } from "@/lib/url-state/params";
import { withinUtcDays } from "@/lib/url-state/utc-days";

/** The search, described once: the page's form and its URL use it. Dates are UTC days, both inclusive. */
const archivedFilterSchema = z
  .object({
    id: z.string().toLowerCase().regex(/^[0-9a-f-]{1,36}$/, "Search by an execution id (or its first characters).").nullable().default(null),
    agent: z.enum(agentIds as [AgentId, ...AgentId[]], { error: `Unknown agent; choose from ${agentIds.join(", ")}.` }).nullable().default(null),
    ...dayRangeFields,
  })
  .refine(isInOrder, reversedDaysMessage);
export type ArchivedFilter = z.infer<typeof archivedFilterSchema>;
export const noArchivedFilter: ArchivedFilter = { id: null, agent: null, from: null, to: null };

/** The search from a query string, or a sentence saying what is wrong with it. */
export function parseArchivedRequest(params: QueryParams): Outcome<{ filter: ArchivedFilter }> {
  const parsed = parseQuery(archivedFilterSchema, queryFields(params, Object.keys(archivedFilterSchema.shape)));
  return parsed.ok ? { ok: true, filter: parsed.value } : parsed;
}

export type ArchivedRow = Omit<typeof executionArchives.$inferSelect, "document"> & { triggeredByName: string | null };

export async function listArchivedExecutions(ctx: Ctx, filter: ArchivedFilter, limit = 100): Promise<Outcome<{ rows: ArchivedRow[] }>> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can see archived executions.");
  const conditions: SQL[] = [eq(executionArchives.workspaceId, ctx.workspaceId)];
  if (filter.id) conditions.push(sql`${executionArchives.executionId}::text like ${`${filter.id.replace(/[%_]/g, "")}%`}`);
  if (filter.agent) conditions.push(eq(executionArchives.agentId, filter.agent));
  const days = withinUtcDays(executionArchives.createdAt, filter);
  if (days) conditions.push(days);
  const db = await getDb();
  const rows = await db
    .select({
      executionId: executionArchives.executionId, workspaceId: executionArchives.workspaceId, agentId: executionArchives.agentId, status: executionArchives.status,
      triggeredBy: executionArchives.triggeredBy, creditsCharged: executionArchives.creditsCharged, startedAt: executionArchives.startedAt,
      createdAt: executionArchives.createdAt, archivedAt: executionArchives.archivedAt, triggeredByName: users.name,
    })
    .from(executionArchives)
    .leftJoin(users, eq(users.id, executionArchives.triggeredBy))
    .where(and(...conditions))
    .orderBy(desc(executionArchives.createdAt), desc(executionArchives.executionId))
    .limit(limit);
  return { ok: true, rows };
}

const archivedNotFound = "Archived execution not found.";

/** "Request archived data": one archived execution as JSON, recorded in the audit log. */
export async function exportArchivedExecution(ctx: Ctx, executionId: string): Promise<Outcome<{ fileName: string; json: string }>> {
  // Members see no archived execution: theirs answer exactly as ids that never existed.
  const parsed = z.uuid().safeParse(executionId);
  if (!parsed.success || !isAdmin(ctx)) return failure("not_found", archivedNotFound);
  const db = await getDb();
  const [archive] = await db
    .select()
    .from(executionArchives)
    .where(and(eq(executionArchives.executionId, parsed.data), eq(executionArchives.workspaceId, ctx.workspaceId)));
  if (!archive) return failure("not_found", archivedNotFound);
  await recordAudit(db, ctx, { action: "archive.exported", target: archive.executionId });
  const json = JSON.stringify({ archivedAt: archive.archivedAt.toISOString(), ...archive.document }, null, 2);
  return { ok: true, fileName: `execution-${archive.executionId}-archived.json`, json };
}
