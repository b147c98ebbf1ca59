import { z } from "zod";

/** The recommendation list's filter and sort, as the URL carries them; shared by the page and the browser. */
export const priorities = ["high", "medium", "low"] as const;
export const recommendationStatuses = ["pending", "approved", "rejected", "applied", "failed", "reverted"] as const;
export const recommendationSorts = { priority: "Priority", item: "Item", field: "Field", status: "Status" } as const;

export const recommendationFilterSchema = z.object({
  priority: z.array(z.enum(priorities, { error: "Priority is high, medium or low." })).max(3).default([]),
  status: z.array(z.enum(recommendationStatuses, { error: `Status is one of ${recommendationStatuses.join(", ")}.` })).max(6).default([]),
  q: z.string().trim().max(200, "Search at most 200 characters.").default(""),
  sort: z.enum(Object.keys(recommendationSorts) as [keyof typeof recommendationSorts], { error: "Sort by priority, item, field or status." }).default("priority"),
});
export type RecommendationFilter = z.infer<typeof recommendationFilterSchema>;
export const recommendationPageSize = 25;

/**
 * A row's place in a sorted list: its two sort keys and its id (lib/results/recommendations.ts
 * says which keys each sort uses). Carried in the URL as `rafter` (the page after this row)
 * or `rbefore` (the page before it).
 */
export type RecommendationCursor = [string, string, string];
export type RecommendationPosition = { after: RecommendationCursor | null; before: RecommendationCursor | null };

export function encodeRecommendationCursor(cursor: RecommendationCursor): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(cursor)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeRecommendationCursor(token: string): RecommendationCursor | null {
  try {
    const value: unknown = JSON.parse(decodeURIComponent(escape(atob(token.replace(/-/g, "+").replace(/_/g, "/")))));
    const parsed = z.tuple([z.string().max(2000), z.string().max(2000), z.uuid()]).safeParse(value);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Reads the list's URL parameters (rp, rs, rq, rsort, rafter, rbefore); a mistake falls back to the defaults with a sentence. */
export function parseRecommendationParams(params: Record<string, string | string[] | undefined>): { filter: RecommendationFilter; position: RecommendationPosition; problem: string | null } {
  const list = (key: string) => [params[key] ?? []].flat().filter(Boolean);
  const start: RecommendationPosition = { after: null, before: null };
  const parsed = recommendationFilterSchema.safeParse({ priority: list("rp"), status: list("rs"), q: list("rq")[0] ?? "", sort: list("rsort")[0] });
  if (!parsed.success) return { filter: recommendationFilterSchema.parse({}), position: start, problem: parsed.error.issues[0]!.message };
  const [after, before] = [list("rafter")[0], list("rbefore")[0]];
  const position = { after: after ? decodeRecommendationCursor(after) : null, before: before ? decodeRecommendationCursor(before) : null };
  if ((after && !position.after) || (before && !position.before)) return { filter: parsed.data, position: start, problem: "The page link is not valid any more, so the list starts at its first page." };
  return { filter: parsed.data, position, problem: null };
}

/** The filter's own URL parameters, as the list's filter bar and pager write them. */
export function recommendationQuery(current: URLSearchParams, filter: RecommendationFilter, position: Partial<Record<"rafter" | "rbefore", string>> = {}): string {
  const next = new URLSearchParams(current);
  for (const key of ["rp", "rs", "rq", "rsort", "rafter", "rbefore", "rpage"]) next.delete(key);
  for (const p of filter.priority) next.append("rp", p);
  for (const s of filter.status) next.append("rs", s);
  if (filter.q) next.set("rq", filter.q);
  if (filter.sort !== "priority") next.set("rsort", filter.sort);
  if (position.rafter) next.set("rafter", position.rafter);
  if (position.rbefore) next.set("rbefore", position.rbefore);
  const text = next.toString();
  return text ? `?${text}` : "";
}
