import { and, eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { creditLedger, ledgerKind, type LedgerEntry } from "@/db/schema";
import { agentIds, type AgentId } from "@/lib/agents/catalog";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import type { Outcome } from "@/lib/outcome";
import { newestFirstPage, parseNewestFirstRequest, type NewestFirstPage, type NewestFirstRequest } from "@/lib/pagination/newest-first";
import { dayRangeFields, isInOrder, reversedDaysMessage, type QueryParams } from "@/lib/url-state/params";
import { withinUtcDays } from "@/lib/url-state/utc-days";

/**
 * The credit ledger as the Credits page and its CSV export read it: filtered by date (UTC
 * days), agent, member and kind (described once here, for both), newest first, by keyset pages.
 */

export const ledgerFilterSchema = z
  .object({
    ...dayRangeFields,
    agent: z.enum(agentIds as [AgentId, ...AgentId[]], { error: `Unknown agent; choose from ${agentIds.join(", ")}.` }).nullable().default(null),
    member: z.uuid({ error: "That member could not be found." }).nullable().default(null),
    kind: z.enum(ledgerKind.enumValues, { error: `Unknown movement; choose from ${ledgerKind.enumValues.join(", ")}.` }).nullable().default(null),
  })
  .refine(isInOrder, reversedDaysMessage);

export type LedgerFilter = z.infer<typeof ledgerFilterSchema>;
export const noLedgerFilter: LedgerFilter = { from: null, to: null, agent: null, member: null, kind: null };
export type LedgerRequest = NewestFirstRequest<LedgerFilter>;

/** The filter and page from a query string, or a sentence saying what is wrong with it. */
export function parseLedgerRequest(params: QueryParams): Outcome<LedgerRequest> {
  return parseNewestFirstRequest(ledgerFilterSchema, params);
}

function ledgerConditions(ctx: Ctx, filter: LedgerFilter): SQL {
  return and(
    eq(creditLedger.workspaceId, ctx.workspaceId),
    // Members see their own movements whatever the filter says.
    isAdmin(ctx) ? (filter.member ? eq(creditLedger.userId, filter.member) : undefined) : eq(creditLedger.userId, ctx.userId),
    withinUtcDays(creditLedger.at, filter),
    filter.agent ? eq(creditLedger.agentId, filter.agent) : undefined,
    filter.kind ? eq(creditLedger.kind, filter.kind) : undefined,
  )!;
}

export type LedgerRow = LedgerEntry & { userName: string | null };

/** One page of movements, newest first; `next` continues after its last row. */
export async function listLedger(ctx: Ctx, request: LedgerRequest, limit = 50): Promise<NewestFirstPage<LedgerRow>> {
  const page = await newestFirstPage(creditLedger, { where: ledgerConditions(ctx, request.filter), person: creditLedger.userId, after: request.after, limit });
  return { rows: page.rows.map(({ entry, personName }) => ({ ...entry, userName: personName })), next: page.next };
}
