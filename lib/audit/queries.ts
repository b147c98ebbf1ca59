import { and, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog, users, type AuditEntry } from "@/db/schema";
import { auditActionsIn, auditCategoryLabels, type AuditCategory } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import type { ExportedFile } from "@/lib/exports/export-execution";
import { exportListCsv } from "@/lib/exports/list-csv";
import { failure, type Outcome } from "@/lib/outcome";
import { newestFirstPage, parseNewestFirstRequest, type NewestFirstPage, type NewestFirstRequest } from "@/lib/pagination/newest-first";
import { dayRangeFields, isInOrder, reversedDaysMessage, type QueryParams } from "@/lib/url-state/params";
import { withinUtcDays } from "@/lib/url-state/utc-days";

/** The workspace's audit log (admins only): who did what and when, filtered, paged, exported. Dates are UTC days. */

const categoryNames = Object.keys(auditCategoryLabels) as [AuditCategory, ...AuditCategory[]];

export const auditFilterSchema = z
  .object({
    category: z.enum(categoryNames, { error: `Unknown kind of action; choose from ${categoryNames.join(", ")}.` }).nullable().default(null),
    actor: z.uuid({ error: "That person could not be found." }).nullable().default(null),
    ...dayRangeFields,
  })
  .refine(isInOrder, reversedDaysMessage);

export type AuditFilter = z.infer<typeof auditFilterSchema>;
export const noAuditFilter: AuditFilter = { category: null, actor: null, from: null, to: null };
export type AuditRequest = NewestFirstRequest<AuditFilter>;
export type AuditRow = AuditEntry & { actorName: string | null };

export function parseAuditRequest(params: QueryParams): Outcome<AuditRequest> {
  return parseNewestFirstRequest(auditFilterSchema, params);
}

function conditions(ctx: Ctx, filter: AuditFilter): SQL {
  return and(
    eq(auditLog.workspaceId, ctx.workspaceId),
    filter.category ? inArray(auditLog.action, auditActionsIn(filter.category)) : undefined,
    filter.actor ? eq(auditLog.actorUserId, filter.actor) : undefined,
    withinUtcDays(auditLog.at, filter),
  )!;
}

const onlyAdmins = () => failure("forbidden", "Only workspace admins can read the audit log.");

async function auditPage(ctx: Ctx, request: AuditRequest, limit: number): Promise<NewestFirstPage<AuditRow>> {
  const page = await newestFirstPage(auditLog, { where: conditions(ctx, request.filter), person: auditLog.actorUserId, after: request.after, limit });
  return { rows: page.rows.map(({ entry, personName }) => ({ ...entry, actorName: personName })), next: page.next };
}

/** One page of entries, newest first. */
export async function listAuditLog(ctx: Ctx, request: AuditRequest, limit = 100): Promise<Outcome<NewestFirstPage<AuditRow>>> {
  if (!isAdmin(ctx)) return onlyAdmins();
  return { ok: true, ...(await auditPage(ctx, request, limit)) };
}

/** Every matching entry as CSV, newest first. */
export async function exportAuditCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<Outcome<ExportedFile>> {
  if (!isAdmin(ctx)) return onlyAdmins();
  const parsed = parseAuditRequest(params);
  if (!parsed.ok) return parsed;
  return exportListCsv<AuditRow, typeof parsed.after>(ctx, {
    name: "audit-log",
    part: "audit",
    columns: {
      id: "id",
      at: "at",
      actor: (e) => e.actorName ?? "System",
      action: "action",
      target_type: "targetType",
      target_id: "targetId",
      ip_address: "ipAddress",
      details: (e) => (e.data ? JSON.stringify(e.data) : null),
    },
    page: (after, limit) => auditPage(ctx, { filter: parsed.filter, after }, limit),
  }, now);
}

/**
 * How many changes a background apply job applied (of `ids`, when given), whichever of its
 * workers applied them: each change's audit entry names the job (lib/results/apply-job.ts).
 */
export async function countChangesAppliedByJob(job: { id: string; workspaceId: string; createdAt: Date }, ids?: string[]): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(
      eq(auditLog.workspaceId, job.workspaceId), eq(auditLog.action, "recommendation.applied"), gte(auditLog.at, job.createdAt),
      sql`${auditLog.data}->>'jobId' = ${job.id}`, ids ? inArray(auditLog.targetId, ids) : undefined,
    ));
  return row!.n;
}

/** The name of whoever asked a background apply job to stop (its audit entry names the job); null if nobody did or they are gone. */
export async function whoAskedJobToStop(job: { id: string; workspaceId: string; createdAt: Date }): Promise<{ userId: string; name: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ userId: users.id, name: users.name })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(
      eq(auditLog.workspaceId, job.workspaceId), eq(auditLog.action, "recommendation.apply_stop_requested"), gte(auditLog.at, job.createdAt),
      sql`${auditLog.data}->>'jobId' = ${job.id}`,
    ))
    .limit(1);
  return row ?? null;
}
