import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { creditLedger, ledgerKind, users, type LedgerEntry } from "@/db/schema";
import { agentIds, type AgentId } from "@/lib/agents/catalog";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { queryValue, type QueryParams } from "@/lib/http/query-params";
import { failure, type Outcome } from "@/lib/outcome";
import { decodeTimeIdCursor, olderThan, timeText, type TimeIdCursor } from "@/lib/pagination/cursor";

/**
 * The credit ledger as the Credits page and its CSV export read it: filtered by date, agent,
 * member and kind (described once here, for both), newest first, by keyset pages.
 */

const day = z.iso.date({ error: "Dates are written as YYYY-MM-DD." });

export const ledgerFilterSchema = z
  .object({
    from: day.nullable().default(null),
    to: day.nullable().default(null),
    agent: z.enum(agentIds as [AgentId, ...AgentId[]], { error: `Unknown agent; choose from ${agentIds.join(", ")}.` }).nullable().default(null),
    member: z.uuid({ error: "That member could not be found." }).nullable().default(null),
    kind: z.enum(ledgerKind.enumValues, { error: `Unknown movement; choose from ${ledgerKind.enumValues.join(", ")}.` }).nullable().default(null),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, "The start date is after the end date.");

export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;
export const noLedgerFilter: LedgerFilter = { from: null, to: null, agent: null, member: null, kind: null };



export type LedgerRequest = { filter: LedgerFilter; after: TimeIdCursor | null };

/** The filter and page from a query string, or a sentence saying what is wrong with it. */
export function parseLedgerRequest(params: QueryParams): Outcome<LedgerRequest> {
  const parsed = ledgerFilterSchema.safeParse({ from: queryValue(params, "from"), to: queryValue(params, "to"), agent: queryValue(params, "agent"), member: queryValue(params, "member"), kind: queryValue(params, "kind") });
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]!.message);
  const after = queryValue(params, "after");
  if (!after) return { ok: true, filter: parsed.data, after: null };
  const cursor = decodeTimeIdCursor(after);
  return cursor ? { ok: true, filter: parsed.data, after: cursor } : failure("invalid_input", "That page link is not valid any more; start from the newest movements.");
}

export function ledgerConditions(ctx: Ctx, filter: LedgerFilter): SQL {
  return and(
    eq(creditLedger.workspaceId, ctx.workspaceId),
    // Members see their own movements whatever the filter says.
    isAdmin(ctx) ? (filter.member ? eq(creditLedger.userId, filter.member) : undefined) : eq(creditLedger.userId, ctx.userId),
    filter.from ? gte(creditLedger.at, sql`${filter.from}::date`) : undefined,
    filter.to ? lt(creditLedger.at, sql`${filter.to}::date + 1`) : undefined,
    filter.agent ? eq(creditLedger.agentId, filter.agent) : undefined,
    filter.kind ? eq(creditLedger.kind, filter.kind) : undefined,
  )!;
}

export type LedgerRow = LedgerEntry & { userName: string | null };
export type LedgerPage = { rows: LedgerRow[]; next: TimeIdCursor | null };

/** One page of movements, newest first; `next` continues after its last row. */
export async function listLedger(ctx: Ctx, request: LedgerRequest, limit = 50): Promise<LedgerPage> {
  const db = await getDb();
  const position = request.after ? olderThan(creditLedger.at, creditLedger.id, request.after) : undefined;
  const fetched = await db
    .select({ entry: creditLedger, userName: users.name, atText: timeText(creditLedger.at) })
    .from(creditLedger)
    .leftJoin(users, eq(users.id, creditLedger.userId))
    .where(and(ledgerConditions(ctx, request.filter), position))
    .orderBy(desc(creditLedger.at), desc(creditLedger.id))
    .limit(limit + 1);
  const rows = fetched.slice(0, limit);
  const last = fetched.length > limit ? rows.at(-1)! : null;
  return { rows: rows.map(({ entry, userName }) => ({ ...entry, userName })), next: last ? { at: last.atText, id: last.entry.id } : null };
}
