import { getVisibleExecution } from "@/lib/executions/queries";
import { route } from "@/lib/http/route";
import { failure } from "@/lib/outcome";
import { encodeRecommendationCursor, parseRecommendationApiQuery } from "@/lib/results/recommendation-filter";
import { listRecommendations } from "@/lib/results/recommendations";
import { queryString } from "@/lib/url-state/params";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * `GET /api/executions/:id/recommendations`: a page (25) of the run's recommendations, filtered
 * and sorted as on its page — `priority` and `status` (repeat them), `q`, `sort`, `after`.
 */
export const GET = route<{ id: string }>({ access: "member", signInTo: "read recommendations" }, async ({ caller, request, params }) => {
  const parsed = parseRecommendationApiQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return failure("invalid_input", parsed.message);
  const execution = await getVisibleExecution(caller, params.id);
  if (!execution) return failure("not_found", "Execution not found.");
  const page = await listRecommendations(execution, parsed.filter, { after: parsed.after, before: null });
  const { filter } = parsed;
  const next = page.next ? encodeRecommendationCursor(page.next) : null;
  return Response.json({
    total: page.total,
    recommendations: page.rows.map((r) => ({
      id: r.id, itemType: r.itemType, itemRef: r.itemRef, itemLabel: r.itemLabel, field: r.field, before: r.beforeValue, after: r.editedValue ?? r.afterValue,
      priority: r.priority, rationale: r.rationale, status: r.status, applyError: r.applyError, appliedAt: r.appliedAt?.toISOString() ?? null,
    })),
    page: {
      next: next ? { after: next, url: `/api/executions/${execution.id}/recommendations${queryString({ priority: filter.priority, status: filter.status, q: filter.q || null, sort: filter.sort !== "priority" ? filter.sort : null, after: next })}` } : null,
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
