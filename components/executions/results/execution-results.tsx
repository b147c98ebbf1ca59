import type { ResultBlock } from "@/lib/results/queries";
import type { ExecutionContent } from "@/lib/executions/content";
import { ActionItemsView } from "./action-items-view";
import { GeneratedContentView } from "./generated-content-view";
import { RecommendationsView } from "./recommendations-view";
import { ReportView } from "./report-view";
import { NoResults, ResultCard, UnreadableResult } from "./result-card";
import { ScoresView } from "./scores-view";
import type { ExecutionStatus } from "@/db/schema";

type Props = {
  executionId: string;
  status: ExecutionStatus;
  blocks: ResultBlock[];
  recommendations: ExecutionContent["recommendations"];
  canApply: boolean;
  /** A visitor through a share link: everything readable, nothing to tick or edit. */
  isReadOnly?: boolean;
};

/** An execution's "Results": each block drawn by its kind, in the agent's order. */
export function ExecutionResults({ executionId, status, blocks, recommendations, canApply, isReadOnly = false }: Props) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-labelledby="results-heading">
      <h2 id="results-heading" className="border-b border-slate-100 px-4 py-2 font-medium">Results</h2>
      {blocks.length === 0 && <NoResults status={status} />}
      <div className="divide-y divide-slate-100">
        {blocks.map((block) => (
          <ResultCard key={block.id} title={block.title} caption={block.isReadable && block.kind === "generated_content" ? block.summary.summary : undefined}>
            {!block.isReadable && <UnreadableResult executionId={executionId} />}
            {block.isReadable && block.kind === "scores" && <ScoresView metrics={block.metrics} previousRun={block.previousRun} />}
            {block.isReadable && block.kind === "report" && <ReportView report={block.report} />}
            {block.isReadable && block.kind === "generated_content" && <GeneratedContentView texts={block.texts} total={block.total} canEdit={block.canEdit && !isReadOnly} />}
            {block.isReadable && block.kind === "action_items" && <ActionItemsView items={block.items} isReadOnly={isReadOnly} />}
            {block.isReadable && (block.kind === "recommendations" || block.kind === "generated_content") && (
              <>
                {recommendations.problem && <p role="alert" className="text-amber-800">The recommendation filter could not be read — {recommendations.problem} Showing all instead.</p>}
                <RecommendationsView executionId={executionId} {...recommendations.page} filter={recommendations.filter} canApply={canApply && !isReadOnly} />
              </>
            )}
          </ResultCard>
        ))}
      </div>
    </section>
  );
}
