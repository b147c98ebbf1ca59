import { z } from "zod";
import { decodePageToken, encodePageToken, hasControlCharacters, queryValue, queryValues, readPosition, withQuery, type QueryParams } from "@/lib/url-state/params";

/** The recommendation list's filter and sort, as the URL carries them; shared by the page and the browser. */
export const priorities = ["high", "medium", "low"] as const;
export const recommendationStatuses = ["pending", "approved", "rejected", "applied", "failed", "reverted"] as const;
/** The statuses approve and reject change; an applied or reverted recommendation is left as it is. */
export const decidableStatuses: readonly (typeof recommendationStatuses)[number][] = ["pending", "approved", "rejected", "failed"];
export const recommendationSorts = { priority: "Priority", item: "Item", field: "Field", status: "Status" } as const;

export const recommendationFilterSchema = z.object({
  priority: z.array(z.enum(priorities, { error: "Priority is high, medium or low." })).max(3).default([]),
  status: z.array(z.enum(recommendationStatuses, { error: `Status is one of ${recommendationStatuses.join(", ")}.` })).max(6).default([]),
  q: z.string().trim().max(200, "Search at most 200 characters.").refine((q) => !hasControlCharacters(q), "Search cannot hold control characters.").default(""),
  sort: z.enum(Object.keys(recommendationSorts) as [keyof typeof recommendationSorts], { error: "Sort by priority, item, field or status." }).default("priority"),
});
export type RecommendationFilter = z.infer<typeof recommendationFilterSchema>;
export const recommendationPageSize = 25;

const statusWords: Record<(typeof recommendationStatuses)[number], string> = {
  pending: "pending", approved: "approved", rejected: "rejected", applied: "applied", failed: "could not apply", reverted: "reverted",
};

/** The filter in words, for a bulk decision's confirm and its audit entry: "high priority · pending · “boot”". */
export function describeRecommendationFilter(filter: Pick<RecommendationFilter, "priority" | "status" | "q">): string {
  const parts = [
    filter.priority.length ? `${filter.priority.join(" or ")} priority` : "",
    filter.status.map((s) => statusWords[s]).join(" or "),
    filter.q ? `“${filter.q}”` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "every recommendation of this run";
}

/**
 * A row's place in a sorted list: its two sort keys and its id (lib/results/recommendations.ts
 * says which keys each sort uses). Carried in the URL as `rafter` (the page after this row)
 * or `rbefore` (the page before it).
 */
export type RecommendationCursor = [string, string, string];
export type RecommendationPosition = { after: RecommendationCursor | null; before: RecommendationCursor | null };

export function encodeRecommendationCursor(cursor: RecommendationCursor): string {
  return encodePageToken(JSON.stringify(cursor));
}

export function decodeRecommendationCursor(token: string): RecommendationCursor | null {
  try {
    const value: unknown = JSON.parse(decodePageToken(token) ?? "null");
    const parsed = z.tuple([z.string().max(2000), z.string().max(2000), z.uuid()]).safeParse(value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Reads the list's URL parameters (rp, rs, rq, rsort, rafter, rbefore); a mistake falls back to the defaults with a sentence. */
export function parseRecommendationParams(params: QueryParams): { filter: RecommendationFilter; position: RecommendationPosition; problem: string | null } {
  const start: RecommendationPosition = { after: null, before: null };
  const parsed = recommendationFilterSchema.safeParse({ priority: queryValues(params, "rp"), status: queryValues(params, "rs"), q: queryValue(params, "rq"), sort: queryValue(params, "rsort") });
  if (!parsed.success) return { filter: recommendationFilterSchema.parse({}), position: start, problem: parsed.error.issues[0]!.message };
  // A stale page link keeps the filter: only the position is lost.
  const [after, before] = [readPosition(params, "rafter", decodeRecommendationCursor), readPosition(params, "rbefore", decodeRecommendationCursor)];
  if (!after.ok || !before.ok) return { filter: parsed.data, position: start, problem: "The page link is not valid any more, so the list starts at its first page." };
  return { filter: parsed.data, position: { after: after.position, before: before.position }, problem: null };
}

/** The filter's own URL parameters, as the list's filter bar and pager write them. */
export function recommendationQuery(current: URLSearchParams, filter: RecommendationFilter, position: Partial<Record<"rafter" | "rbefore", string>> = {}): string {
  return withQuery(current, {
    rp: filter.priority, rs: filter.status, rq: filter.q, rsort: filter.sort !== "priority" ? filter.sort : null,
    rafter: position.rafter ?? null, rbefore: position.rbefore ?? null, rpage: null,
  });
}

/**
 * The JSON API's recommendation query (GET /api/executions/:id/recommendations): the same
 * filter under plain names — priority and status (repeated), q, sort — and `after`, the page
 * token its previous page answered.
 */
export function parseRecommendationApiQuery(params: URLSearchParams): { ok: true; filter: RecommendationFilter; after: RecommendationCursor | null } | { ok: false; message: string } {
  const parsed = recommendationFilterSchema.safeParse({ priority: queryValues(params, "priority"), status: queryValues(params, "status"), q: queryValue(params, "q"), sort: queryValue(params, "sort") });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  const after = readPosition(params, "after", decodeRecommendationCursor);
  if (!after.ok) return { ok: false, message: "The page token in after is not valid; start again without it." };
  return { ok: true, filter: parsed.data, after: after.position };
}
