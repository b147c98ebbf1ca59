import Link from "next/link";
import type { ExecutionStatus } from "@/db/schema";
import type { ResultBlock } from "@/lib/results/queries";
import { formatCount } from "@/components/ui/format";
import { ActionItemsView } from "./action-items-view";
import { ReportView } from "./report-view";
import { NoResults, ResultCard, UnreadableResult } from "./result-card";
import { ScoresView } from "./scores-view";

type Props = {
  executionId: string;
  status: ExecutionStatus;
  blocks: ResultBlock[];
  /** The run's recommendation list (its own tab) and how many it holds. */
  recommendations: { href: string; count: number };
  /** A visitor through a share link: everything readable, nothing to tick or edit. */
  isReadOnly?: boolean;
};

/** An execution's "Results": each block drawn by its kind, in the agent's order; its recommendations are one list in their own tab. */
export function ExecutionResults({ executionId, status, blocks, recommendations, isReadOnly = false }: Props) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-labelledby="results-heading">
      <h2 id="results-heading" className="border-b border-slate-100 px-4 py-2 font-medium">Results</h2>
      {blocks.length === 0 && <NoResults status={status} />}
      <div className="divide-y divide-slate-100">
        {blocks.map((block) => (
          <ResultCard key={block.id} title={block.title}>
            {!block.isReadable && <UnreadableResult executionId={executionId} />}
            {block.isReadable && block.kind === "scores" && <ScoresView metrics={block.metrics} previousRun={block.previousRun} basisDifferences={block.basisDifferences} isComparable={!isReadOnly} />}
            {block.isReadable && block.kind === "report" && <ReportView report={block.report} />}
            {block.isReadable && block.kind === "action_items" && <ActionItemsView items={block.items} isReadOnly={isReadOnly} />}
            {block.isReadable && (block.kind === "recommendations" || block.kind === "generated_content") && (
              <p className="text-slate-700">
                {block.summary.summary}{" "}
                <Link href={recommendations.href} className="whitespace-nowrap text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
                  Review {formatCount(recommendations.count, block.kind === "generated_content" ? "text" : "recommendation")} →
                </Link>
              </p>
            )}
          </ResultCard>
        ))}
      </div>
    </section>
  );
}
