"use client";

import { useIsHydrated } from "@/components/ui/use-is-hydrated";
import { ReportChart } from "@/components/executions/results/report-chart";

const moment = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/**
 * One metric across the agent's runs, oldest to newest, drawn by the report chart. Each point
 * is labelled with its run's local date and time (UTC on the server, which cannot know the
 * reader's zone), so two runs on one day stay two points.
 */
export function TrendChart({ title, unit, points }: { title: string; unit?: string; points: { at: string; value: number }[] }) {
  const isClient = useIsHydrated();
  const label = (iso: string) => (isClient ? moment.format(new Date(iso)) : `${iso.slice(0, 16).replace("T", " ")} UTC`);
  return (
    <ReportChart
      chart={{
        title: unit ? `${title} (${unit})` : title,
        type: "line",
        series: [{ name: title, points: points.map((p) => ({ x: label(p.at), y: p.value })) }],
      }}
    />
  );
}
