import { and, desc, eq, gte, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executionResults, executions, storeOrders } from "@/db/schema";
import { scopeSchema } from "@/lib/platforms/adapter";
import { scoresPayload, type Metric, type ReportPayload } from "@/lib/results/payloads";
import type { AgentModule, AgentSummary, Todo } from "./agent";
import { agentCatalog } from "./catalog";

const settingsSchema = z.object({
  scope: scopeSchema.default({ mode: "all", maxItems: 90 }),
  periodDays: z.coerce.number().pipe(z.union([z.literal(7), z.literal(14), z.literal(30), z.literal(90)], { error: "Review 7, 14, 30 or 90 days." })).default(30),
  compareWithPrevious: z.boolean().default(true),
});

export type AnalyticsReviewSettings = z.infer<typeof settingsSchema>;

export type DayData = { day: string; sessions: number; pageviews: number; conversions: number; bounceRate: number };

export const analyticsReview: AgentModule<AnalyticsReviewSettings> = {
  info: agentCatalog["analytics-review"],
  settingsSchema,
  defaultSettings: { scope: { mode: "all", maxItems: 90 }, periodDays: 30, compareWithPrevious: true },
  itemQuery: (settings, now) => ({
    scope: { mode: "all", maxItems: settings.periodDays },
    types: ["day"],
    days: { until: new Date(now.getTime() - 24 * 3600_000).toISOString().slice(0, 10), count: settings.periodDays },
  }),
  analyze(item) {
    const f = item.fields as unknown as DayData;
    return { outcome: "processed", score: null, changes: [], todos: [], data: { sessions: f.sessions, pageviews: f.pageviews, conversions: f.conversions, bounceRate: f.bounceRate } };
  },
  changeBreaches: (_item, _settings, _context, change) => [{ rule: "no_improvement", message: `The analytics review proposes no store changes, so not “${change.field}”.` }],
  async summarize({ items, connectionId, workspaceId, executionId, settings }) {
    const days = items.map((i) => ({ day: i.itemRef, ...(i.data as Omit<DayData, "day">) })).sort((a, b) => a.day.localeCompare(b.day));
    const db = await getDb();
    const first = days[0]?.day;
    const last = days[days.length - 1]?.day;
    const revenueRows = first && last
      ? await db
          .select({ revenueCents: sql<number>`coalesce(sum(${storeOrders.totalCents}), 0)::bigint`, orders: sql<number>`count(*)::int` })
          .from(storeOrders)
          .where(and(eq(storeOrders.connectionId, connectionId), gte(storeOrders.placedAt, new Date(`${first}T00:00:00Z`)), lt(storeOrders.placedAt, new Date(new Date(`${last}T00:00:00Z`).getTime() + 24 * 3600_000))))
      : [];
    const revenue = Number(revenueRows[0]?.revenueCents ?? 0) / 100;
    const previous = settings.compareWithPrevious ? await previousMetrics(workspaceId, executionId) : [];
    return reviewSummary(days, revenue, previous);
  },
};

/** The review's result blocks, to-dos and preview from its days, their revenue and the previous review's metrics. */
export function reviewSummary(days: DayData[], revenue: number, previous: Metric[]): AgentSummary & { metrics: Metric[] } {
  const sessions = days.reduce((sum, d) => sum + d.sessions, 0);
  const conversions = days.reduce((sum, d) => sum + d.conversions, 0);
  const conversionRate = sessions ? Math.round((conversions / sessions) * 10000) / 100 : 0;
  const aov = conversions ? Math.round((revenue / conversions) * 100) / 100 : 0;
  const bounce = Math.round((days.reduce((sum, d) => sum + d.bounceRate, 0) / Math.max(1, days.length)) * 1000) / 10;
  const before = (key: string) => previous.find((m) => m.key === key)?.value ?? null;
  const metrics: Metric[] = [
    { key: "conversion_rate", label: "Conversion rate", value: conversionRate, unit: "%", scale: { min: 0, max: 10 }, isHigherBetter: true, meaning: "Share of sessions that ended in an order. 2–3 % is typical for outdoor retail.", previousValue: before("conversion_rate") },
    { key: "average_order_value", label: "Average order value", value: aov, unit: "$", scale: { min: 0, max: 500 }, isHigherBetter: true, meaning: "Revenue divided by orders in the period.", previousValue: before("average_order_value") },
    { key: "sessions", label: "Sessions", value: sessions, scale: { min: 0, max: Math.max(1, sessions * 2) }, isHigherBetter: true, meaning: "Visits to the store in the period.", previousValue: before("sessions") },
    { key: "bounce_rate", label: "Bounce rate", value: bounce, unit: "%", scale: { min: 0, max: 100 }, isHigherBetter: false, meaning: "Visits that left after one page. Lower is better.", previousValue: before("bounce_rate") },
  ];
  const report: ReportPayload = {
    summary: `${days.length} days reviewed: ${conversions.toLocaleString("en-US")} orders from ${sessions.toLocaleString("en-US")} sessions, $${Math.round(revenue).toLocaleString("en-US")} revenue.`,
    tables: [{ title: "Daily figures", columns: ["Day", "Sessions", "Orders", "Conversion %", "Bounce %"], rows: days.map((d) => [d.day, d.sessions, d.conversions, Math.round((d.conversions / Math.max(1, d.sessions)) * 10000) / 100, Math.round(d.bounceRate * 1000) / 10]) }],
    charts: [{ title: "Sessions and orders per day", type: "line", series: [{ name: "Sessions", points: days.map((d) => ({ x: d.day, y: d.sessions })) }, { name: "Orders", points: days.map((d) => ({ x: d.day, y: d.conversions })) }] }],
  };
  const todos: Todo[] = [
    ...(conversionRate < 2.2 ? [{ priority: "high" as const, title: "Review the checkout for friction", detail: `Conversion is ${conversionRate}%, below 2.2 %.` }] : []),
    ...(bounce > 45 ? [{ priority: "medium" as const, title: "Improve landing pages with high bounce", detail: `Bounce rate averaged ${bounce}% over the period.` }] : []),
    { priority: "low", title: "Plan next month's email campaign", detail: "Email orders convert best; schedule the next send around the busiest weekday." },
  ];
  const prev = before("conversion_rate");
  const delta = prev === null ? "" : ` (${conversionRate - prev >= 0 ? "+" : ""}${(conversionRate - prev).toFixed(1)} pts)`;
  return {
    metrics,
    results: [
      { kind: "scores", title: "Store metrics", payload: { metrics } },
      { kind: "report", title: "Traffic and orders", payload: report },
      { kind: "action_items", title: "Next steps", payload: { count: todos.length, summary: `${todos.length} thing${todos.length === 1 ? "" : "s"} to do` } },
    ],
    preview: `Conversion ${conversionRate}%${delta} · ${todos.length} action item${todos.length === 1 ? "" : "s"}`,
    todos,
  };
}

/** Metrics of this workspace's last finished analytics review before this one. */
async function previousMetrics(workspaceId: string, executionId: string): Promise<Metric[]> {
  const db = await getDb();
  const [row] = await db
    .select({ payload: executionResults.payload })
    .from(executions)
    .innerJoin(executionResults, and(eq(executionResults.executionId, executions.id), eq(executionResults.kind, "scores")))
    .where(and(eq(executions.workspaceId, workspaceId), eq(executions.agentId, "analytics-review"), ne(executions.id, executionId), sql`${executions.status} in ('completed', 'partial')`))
    .orderBy(desc(executions.createdAt))
    .limit(1);
  const parsed = scoresPayload.safeParse(row?.payload);
  return parsed.success ? parsed.data.metrics : [];
}
