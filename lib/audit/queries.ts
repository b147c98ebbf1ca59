import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { auditLog, users, type AuditEntry } from "@/db/schema";
import { auditActionsIn, auditCategoryLabels, type AuditCategory } from "@/lib/audit/record";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { csvHead, csvLines, isoCell } from "@/lib/exports/csv";
import type { ExportedFile } from "@/lib/exports/export-execution";
import { contentTypes } from "@/lib/exports/formats";
import { storeWhileStreaming } from "@/lib/exports/report-files";
import { queryValue, type QueryParams } from "@/lib/http/query-params";
import { failure, type Outcome } from "@/lib/outcome";
import { decodeTimeIdCursor, olderThan, timeText, type TimeIdCursor } from "@/lib/pagination/cursor";

/** The workspace's audit log (admins only): who did what and when, filtered, paged, exported. */

const categoryNames = Object.keys(auditCategoryLabels) as [AuditCategory, ...AuditCategory[]];

const day = z.iso.date({ error: "Dates are written as YYYY-MM-DD." });

export const auditFilterSchema = z
  .object({
    category: z.enum(categoryNames, { error: `Unknown kind of action; choose from ${categoryNames.join(", ")}.` }).nullable().default(null),
    actor: z.uuid({ error: "That person could not be found." }).nullable().default(null),
    from: day.nullable().default(null),
    to: day.nullable().default(null),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, "The start date is after the end date.");

export type AuditFilter = z.infer<typeof auditFilterSchema>;
export type AuditRequest = { filter: AuditFilter; after: TimeIdCursor | null };
export type AuditRow = AuditEntry & { actorName: string | null };
export type AuditPage = { rows: AuditRow[]; next: TimeIdCursor | null };



export function parseAuditRequest(params: QueryParams): Outcome<AuditRequest> {
  const parsed = auditFilterSchema.safeParse({ category: queryValue(params, "category"), actor: queryValue(params, "actor"), from: queryValue(params, "from"), to: queryValue(params, "to") });
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]!.message);
  const after = queryValue(params, "after");
  const cursor = after ? decodeTimeIdCursor(after) : null;
  if (after && !cursor) return failure("invalid_input", "That page link is not valid any more; start from the newest entries.");
  return { ok: true, filter: parsed.data, after: cursor };
}

function conditions(ctx: Ctx, filter: AuditFilter): SQL {
  return and(
    eq(auditLog.workspaceId, ctx.workspaceId),
    filter.category ? inArray(auditLog.action, auditActionsIn(filter.category)) : undefined,
    filter.actor ? eq(auditLog.actorUserId, filter.actor) : undefined,
    filter.from ? gte(auditLog.at, sql`${filter.from}::date`) : undefined,
    filter.to ? lt(auditLog.at, sql`${filter.to}::date + 1`) : undefined,
  )!;
}

const onlyAdmins = () => failure("forbidden", "Only workspace admins can read the audit log.");

/** One page of entries, newest first. */
export async function listAuditLog(ctx: Ctx, request: AuditRequest, limit = 100): Promise<Outcome<AuditPage>> {
  if (!isAdmin(ctx)) return onlyAdmins();
  const db = await getDb();
  const fetched = await db
    .select({ entry: auditLog, actorName: users.name, atText: timeText(auditLog.at) })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(conditions(ctx, request.filter), request.after ? olderThan(auditLog.at, auditLog.id, request.after) : undefined))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit + 1);
  const rows = fetched.slice(0, limit);
  const last = fetched.length > limit ? rows.at(-1)! : null;
  return { ok: true, rows: rows.map(({ entry, actorName }) => ({ ...entry, actorName })), next: last ? { at: last.atText, id: last.entry.id } : null };
}

/** Every matching entry as CSV, newest first, written page by page. */
export async function exportAuditCsv(ctx: Ctx, params: QueryParams, now = new Date()): Promise<Outcome<ExportedFile>> {
  if (!isAdmin(ctx)) return onlyAdmins();
  const parsed = parseAuditRequest(params);
  if (!parsed.ok) return parsed;
  const { filter } = parsed;
  async function* rows(): AsyncGenerator<string> {
    yield csvHead(["id", "at", "actor", "action", "target_type", "target_id", "ip_address", "details"]);
    let after: TimeIdCursor | null = null;
    for (;;) {
      const page = await listAuditLog(ctx, { filter, after }, 1000);
      if (!page.ok) return;
      yield csvLines(page.rows.map((e) => [e.id, isoCell(e.at), e.actorName ?? "System", e.action, e.targetType, e.targetId, e.ipAddress, e.data ? JSON.stringify(e.data) : null]));
      if (!page.next) return;
      after = page.next;
    }
  }
  const fileName = `runlog-audit-log-${now.toISOString().slice(0, 10)}.csv`;
  const contentType = contentTypes.csv;
  const stored = await storeWhileStreaming(ctx, { executionId: null, format: "csv", part: "audit", fileName, contentType }, rows, now);
  return { ok: true, fileId: stored.fileId, fileName, contentType, stream: stored.stream };
}
