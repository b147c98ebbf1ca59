import { ReportChart } from "@/components/executions/results/report-chart";
import { agentName } from "@/lib/agents/catalog";
import type { DailyUsage } from "@/lib/credits/insights";

/** Credits used per day, one line per agent, every day of the period (days without runs at 0). */
export function UsageChart({ usage, days, today }: { usage: DailyUsage[]; days: number; today: Date }) {
  const dayList = Array.from({ length: days }, (_, n) => new Date(today.getTime() - (days - 1 - n) * 86_400_000).toISOString().slice(0, 10));
  const agents = [...new Set(usage.map((u) => u.agentId))];
  const byKey = new Map(usage.map((u) => [`${u.agentId}|${u.day}`, u.credits]));
  const series = agents.map((agentId) => ({
    name: agentName(agentId),
    points: dayList.map((day) => ({ x: day.slice(5), y: byKey.get(`${agentId}|${day}`) ?? 0 })),
  }));
  return <ReportChart chart={{ title: "Credits used per day, by agent", type: "line", series }} />;
}
