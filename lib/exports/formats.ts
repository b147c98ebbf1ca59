import { agentCatalog, isAgentId } from "@/lib/agents/catalog";

/**
 * What can be downloaded from an execution (F9), decided by its agent's result kinds: the
 * whole run as JSON or a PDF report, and each of its tables as its own CSV. Runs in the
 * browser too (the Download menus build their links from it), so it imports no server code.
 */
export const exportFormats = ["csv", "json", "pdf"] as const;
export type ExportFormat = (typeof exportFormats)[number];

const csvParts = ["recommendations", "items", "metrics", "action_items", "log", "overview"] as const;
export type CsvPart = (typeof csvParts)[number];

export const csvPartLabels: Record<CsvPart, string> = {
  recommendations: "Recommendations",
  items: "Items",
  metrics: "Metrics",
  action_items: "Action items",
  log: "Processing log",
  overview: "Overview",
};

export const contentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  pdf: "application/pdf",
};

/** The CSV tables an agent's runs have: items, the log and the overview always, the rest by result kind. */
export function csvPartsFor(agentId: string): CsvPart[] {
  const kinds: readonly string[] = isAgentId(agentId) ? agentCatalog[agentId].resultKinds : [];
  return csvParts.filter((part) => {
    if (part === "recommendations") return kinds.includes("recommendations") || kinds.includes("generated_content");
    if (part === "metrics") return kinds.includes("scores");
    if (part === "action_items") return kinds.includes("action_items");
    return true;
  });
}

export type DownloadOption = { format: ExportFormat; part: CsvPart | null; label: string; href: string };

/** What a run holds, read from its rows (lib/exports/run-contents.ts): the Download menu offers only files with something in them. */
export type RunContents = { hasResults: boolean; hasScores: boolean; hasRecommendations: boolean; hasActionItems: boolean; hasItems: boolean };

/**
 * The Download menu of one execution: one entry per file it can be downloaded as, under
 * `base` (the app's export route, or a share link's own download route). The agent's result
 * kinds say which tables its runs can have, the run's contents which of them this one has:
 * a run that failed before producing anything offers its JSON and its processing log only.
 */
export function downloadOptions(executionId: string, agentId: string, contents: RunContents, base = `/api/executions/${executionId}/export`): DownloadOption[] {
  const hasFindings = contents.hasResults || contents.hasRecommendations || contents.hasActionItems;
  const has: Record<CsvPart, boolean> = {
    recommendations: contents.hasRecommendations, items: contents.hasItems, metrics: contents.hasScores, action_items: contents.hasActionItems, log: true, overview: true,
  };
  return [
    ...(hasFindings ? [{ format: "pdf" as const, part: null, label: "PDF report", href: `${base}/pdf` }] : []),
    { format: "json", part: null, label: hasFindings || contents.hasItems ? "JSON (everything)" : "JSON (settings and log)", href: `${base}/json` },
    ...csvPartsFor(agentId).filter((part) => has[part]).map((part): DownloadOption => ({ format: "csv", part, label: `CSV: ${csvPartLabels[part]}`, href: `${base}/csv?part=${part}` })),
  ];
}
