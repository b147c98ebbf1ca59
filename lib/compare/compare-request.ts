import { z } from "zod";
import { failure, type Outcome } from "@/lib/outcome";
import { queryList, queryValue, type QueryParams } from "@/lib/url-state/params";

/**
 * What a comparison is asked for, as it lives in the URL: `/executions/compare?ids=<id>,<id>…`
 * (2 to 5 executions) and `period` (30, 90 or 365 days of history for the trend chart).
 * Runs in the browser too (the history list builds these links), so it imports no server code.
 */
export const comparePeriods = [30, 90, 365] as const;
export type ComparePeriod = (typeof comparePeriods)[number];
const defaultComparePeriod: ComparePeriod = 90;
export const minComparedRuns = 2;
export const maxComparedRuns = 5;

export type CompareRequest = { ids: string[]; periodDays: ComparePeriod };

const uuid = z.uuid();

/** The page's address for comparing `ids`, in the order given. */
export function compareHref(ids: readonly string[], periodDays: ComparePeriod = defaultComparePeriod): string {
  const period = periodDays === defaultComparePeriod ? "" : `&period=${periodDays}`;
  return `/executions/compare?ids=${ids.join(",")}${period}`;
}

/** Reads `ids` and `period` from a query string, or says in one sentence what is wrong with the link. */
export function parseCompareRequest(params: QueryParams): Outcome<{ request: CompareRequest }> {
  const checked = checkComparedIds(queryList(params, "ids"));
  if (!checked.ok) return checked;
  const period = queryValue(params, "period") ?? "";
  const periodDays = period === "" ? defaultComparePeriod : comparePeriods.find((days) => String(days) === period);
  if (periodDays === undefined) return failure("invalid_input", `The trend period is ${comparePeriods.join(", ")} days, not “${period.slice(0, 20)}”.`);
  return { ok: true, request: { ids: checked.ids, periodDays } };
}

/** 2 to 5 distinct, well-formed execution ids (a repeated id counts once). */
export function checkComparedIds(ids: readonly string[]): Outcome<{ ids: string[] }> {
  const distinct = [...new Set(ids.map((id) => id.toLowerCase()))];
  const malformed = distinct.find((id) => !uuid.safeParse(id).success);
  if (malformed !== undefined) return failure("invalid_input", `“${malformed.slice(0, 40)}” is not an execution ID; open the comparison again from Past executions.`);
  if (distinct.length < minComparedRuns) {
    return failure("invalid_input", distinct.length === 0 ? "Choose two to five executions to compare." : "Choose at least one more execution of the same agent to compare with.");
  }
  if (distinct.length > maxComparedRuns) return failure("invalid_input", `Compare at most ${maxComparedRuns} executions at a time; this link has ${distinct.length}.`);
  return { ok: true, ids: distinct };
}
