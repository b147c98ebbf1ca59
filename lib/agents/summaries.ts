import type { Metric, ReportPayload } from "@/lib/results/payloads";
import type { AgentSummary, ProcessedItem } from "./agent";

/** Result blocks and the one-line preview of the two audits, from their scored items. */
export function auditSummary(kind: "seo" | "performance", items: ProcessedItem[], changeCount: number, todoCount: number): AgentSummary {
  const scores = items.map((i) => i.score).filter((s): s is number => s !== null);
  const average = Math.round(scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length));
  const label = kind === "seo" ? "SEO score" : "Performance score";
  const metrics: Metric[] = [
    {
      key: "average_score", label: `Average ${kind === "seo" ? label : label.toLowerCase()}`, value: average, scale: { min: 0, max: 100 }, isHigherBetter: true, previousValue: null,
      meaning: kind === "seo" ? "100 means no title, meta, alt-text, heading or content issues were found." : "100 means every page is within its image, script and HTML budgets.",
    },
    { key: "items_below_50", label: "Items scoring under 50", value: scores.filter((s) => s < 50).length, scale: { min: 0, max: Math.max(1, scores.length) }, isHigherBetter: false, meaning: "Items that need attention first.", previousValue: null },
  ];
  let preview = `Avg SEO score ${average} · ${changeCount} recommendation${changeCount === 1 ? "" : "s"}`;
  if (kind === "performance") {
    const heavy = items.reduce((sum, i) => sum + Number(i.data?.heavyImages ?? 0), 0);
    const weights = items.map((i) => Number(i.data?.pageWeightBytes ?? 0)).filter((w) => w > 0);
    metrics.push({ key: "heavy_images", label: "Images over 500 KB", value: heavy, scale: { min: 0, max: Math.max(heavy, 10) }, isHigherBetter: false, meaning: "Large images slow down the first view of a page, most of all on mobile.", previousValue: null });
    metrics.push({ key: "average_page_weight_kb", label: "Average page weight", value: Math.round(weights.reduce((a, b) => a + b, 0) / Math.max(1, weights.length) / 1024), unit: "KB", scale: { min: 0, max: 5000 }, isHigherBetter: false, meaning: "HTML, scripts and images a visitor downloads.", previousValue: null });
    preview = `Avg performance score ${average} · ${heavy} heavy image${heavy === 1 ? "" : "s"}`;
  }
  const results: AgentSummary["results"] = [
    { kind: "scores", title: label, payload: { metrics } },
    { kind: "recommendations", title: "Recommended changes", payload: { count: changeCount, summary: `${changeCount} changes recommended` } },
  ];
  if (kind === "seo") {
    const bands = [[0, 25], [25, 50], [50, 75], [75, 101]] as const;
    const report: ReportPayload = {
      summary: `Average SEO score ${average} across ${items.length} items; ${changeCount} fixes proposed, ${todoCount} issues need a person.`,
      tables: [{ title: "Lowest scores", columns: ["Item", "Score"], rows: [...items].filter((i) => i.score !== null).sort((a, b) => a.score! - b.score!).slice(0, 10).map((i) => [i.itemLabel, i.score!]) }],
      charts: [{ title: "Items by score", type: "bar", series: [{ name: "Items", points: bands.map(([lo, hi]) => ({ x: `${lo}–${Math.min(hi, 100) - (hi === 101 ? 0 : 1)}`, y: scores.filter((s) => s >= lo && s < hi).length })) }] }],
    };
    results.push({ kind: "report", title: "SEO report", payload: report });
  }
  results.push({ kind: "action_items", title: "To do", payload: { count: todoCount, summary: `${todoCount} things to do` } });
  return { results, preview };
}
