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
export const recommendationPageSize = 100;

/** Reads the list's URL parameters (rp, rs, rq, rsort, rpage); a mistake falls back to the defaults with a sentence. */
export function parseRecommendationParams(params: Record<string, string | string[] | undefined>): { filter: RecommendationFilter; page: number; problem: string | null } {
  const list = (key: string) => [params[key] ?? []].flat().filter(Boolean);
  const parsed = recommendationFilterSchema.safeParse({ priority: list("rp"), status: list("rs"), q: list("rq")[0] ?? "", sort: list("rsort")[0] });
  const page = Math.max(1, Math.min(10_000, Number.parseInt(list("rpage")[0] ?? "1", 10) || 1));
  if (parsed.success) return { filter: parsed.data, page, problem: null };
  return { filter: recommendationFilterSchema.parse({}), page: 1, problem: parsed.error.issues[0]!.message };
}
