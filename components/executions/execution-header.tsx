import Link from "next/link";
import { durationBetween, formatCount, formatCredits, formatDuration } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { agentCatalog, isAgentId } from "@/lib/agents/catalog";
import type { ExecutionTab } from "@/lib/executions/content";
import { isLive } from "@/lib/executions/permissions";
import { progressOf } from "@/lib/executions/progress";
import type { ExecutionRow } from "@/lib/executions/queries";
import { StickyRunHeader } from "./sticky-run-header";

type Props = {
  execution: ExecutionRow;
  agentName: string;
  /** Where the tabs link: the run's page in the app, or its share link. */
  basePath: string;
  tab: ExecutionTab;
  /** The recommendation tab's label ("Recommendations", "Generated texts"), or null when the agent makes none. */
  listLabel: string | null;
  recommendationCount: number;
  backLink?: React.ReactNode;
  /** False on a share link that hides credits. */
  showsCredits?: boolean;
  /** The run's actions (run again, download, share…), at the header's right. */
  children?: React.ReactNode;
};

/** The label of a run's recommendation tab, by what its agent makes; null for an agent that makes none. */
export function listLabelOf(agentId: string): string | null {
  const kinds: readonly string[] = isAgentId(agentId) ? agentCatalog[agentId].resultKinds : [];
  return kinds.includes("generated_content") ? "Generated texts" : kinds.includes("recommendations") ? "Recommendations" : null;
}

const tabLabels: Record<ExecutionTab, string> = { overview: "Overview", results: "Results", recommendations: "Recommendations", log: "Log", downloads: "Downloads" };

/**
 * The top of a run's page, which stays in view while it scrolls: agent, status, key
 * figures and actions, then the sections as tabs, each its own URL (`?tab=`).
 */
export function ExecutionHeader({ execution, agentName, basePath, tab, listLabel, recommendationCount, backLink, showsCredits = true, children }: Props) {
  const tabs = (Object.keys(tabLabels) as ExecutionTab[]).filter((t) => t !== "recommendations" || listLabel !== null);
  const summary = progressOf(execution).summary;
  const credits = isLive(execution) ? `${formatCredits(execution.creditsReserved)} credits held` : `${formatCredits(execution.creditsCharged)} credits`;
  return (
    <StickyRunHeader className="z-30 -mx-4 border-b border-slate-200 bg-slate-50/95 px-4 pt-3 backdrop-blur sm:sticky sm:top-0 sm:-mx-6 sm:px-6">
      {backLink}
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-xl font-semibold tracking-tight">{agentName}</h1>
            <StatusBadge status={execution.status} />
          </div>
          <p className="mt-1 text-slate-700" data-testid="key-figures">
            <LocalTime iso={(execution.startedAt ?? execution.createdAt).toISOString()} />
            {" · "}{formatDuration(durationBetween(execution.startedAt, execution.finishedAt))}
            {" · "}{formatCount(execution.itemsProcessed, "item")} of {formatCount(execution.itemsTotal, "item")}
            {execution.itemsFailed > 0 && ` (${formatCount(execution.itemsFailed, "item")} failed)`}
            {showsCredits && <>{" · "}{credits}</>}
          </p>
          {summary && <p className="mt-0.5 truncate text-slate-600" data-testid="run-summary">{summary}</p>}
        </div>
        {children && <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Actions">{children}</div>}
      </div>
      <nav aria-label="Sections" className="-mb-px mt-3 flex flex-wrap gap-x-1">
        {tabs.map((t) => (
          <Link
            key={t}
            href={t === "overview" ? basePath : `${basePath}?tab=${t}`}
            aria-current={t === tab ? "page" : undefined}
            className={`whitespace-nowrap border-b-2 px-3 py-2 font-medium ${t === tab ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t === "recommendations" ? `${listLabel} (${recommendationCount.toLocaleString("en-US")})` : tabLabels[t]}
          </Link>
        ))}
      </nav>
    </StickyRunHeader>
  );
}
