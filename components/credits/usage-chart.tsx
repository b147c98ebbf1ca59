import { ReportChart } from "@/components/executions/results/report-chart";
import { seriesColors } from "@/components/ui/chart-colors";
import { agentIds, agentName } from "@/lib/agents/catalog";
import type { DailyUsage } from "@/lib/credits/insights";

const dayMs = 86_400_000;

/**
 * Credits used by agent over the period: per day for up to 30 days, per week (from Monday)
 * beyond, so a year is 53 points rather than 365 tangled ones. Each agent keeps its colour in
 * every period, taken from its place in the catalogue.
 */
export function UsageChart({ usage, days, today }: { usage: DailyUsage[]; days: number; today: Date }) {
  const isWeekly = days > 30;
  const dayList = Array.from({ length: days }, (_, n) => new Date(today.getTime() - (days - 1 - n) * dayMs).toISOString().slice(0, 10));
  const bucketOf = (day: string) => {
    if (!isWeekly) return day;
    const date = new Date(`${day}T00:00:00Z`);
    return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * dayMs).toISOString().slice(0, 10);
  };
  const buckets = [...new Set(dayList.map(bucketOf))];
  const present = new Set(usage.map((u) => u.agentId));
  const agents = agentIds.filter((id) => present.has(id));
  const totals = new Map<string, number>();
  for (const u of usage) totals.set(`${u.agentId}|${bucketOf(u.day)}`, (totals.get(`${u.agentId}|${bucketOf(u.day)}`) ?? 0) + u.credits);
  const label = (bucket: string) => new Date(`${bucket}T00:00:00Z`).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  const series = agents.map((agentId) => ({
    name: agentName(agentId),
    points: buckets.map((bucket) => ({ x: label(bucket), y: totals.get(`${agentId}|${bucket}`) ?? 0 })),
  }));
  const colors = agents.map((agentId) => seriesColors[agentIds.indexOf(agentId) % seriesColors.length]!);
  return <ReportChart chart={{ title: isWeekly ? "Credits used per week (from Monday), by agent" : "Credits used per day, by agent", type: "line", series }} colors={colors} />;
}
