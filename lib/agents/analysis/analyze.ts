import type { StoreItem } from "@/lib/platforms/adapter";
import type { ItemAnalysis, ItemFailure } from "../agent";
import type { ProposedChange } from "../findings";
import type { RuleBreach } from "../suggestion-rules";
import { isAgentId } from "../catalog";
import { getAgent } from "../registry";

export type AnalysisRequest = { id: number; agentId: string; settings: unknown; context: unknown; items: StoreItem[] };
export type AnalysisReply = { id: number; analyses: (ItemAnalysis | ItemFailure)[] } | { id: number; error: string };

/** Each item's analysis by its agent; one item's trouble fails that item, never the batch. */
export function analyzeItemsHere({ agentId, settings, context, items }: Omit<AnalysisRequest, "id">): (ItemAnalysis | ItemFailure)[] {
  if (!isAgentId(agentId)) throw new Error(`Unknown agent ${agentId}`);
  if (items.length === 0) return [];
  const agent = getAgent(agentId);
  return items.map((item) => {
    try {
      return keepingRules(agent.analyze(item, settings as never, context), (change) => agent.changeBreaches(item, settings as never, context, change));
    } catch (error) {
      return { outcome: "failed", reason: error instanceof Error ? error.message : "The item could not be analysed." };
    }
  });
}

/** The analysis with every change that breaks its agent's rules taken out and said why. */
function keepingRules(analysis: ItemAnalysis | ItemFailure, breachesOf: (change: ProposedChange) => RuleBreach[]): ItemAnalysis | ItemFailure {
  if (analysis.outcome === "failed" || analysis.changes.length === 0) return analysis;
  const changes: ItemAnalysis["changes"] = [];
  const withheld = [...(analysis.withheld ?? [])];
  for (const change of analysis.changes) {
    const breaches = breachesOf(change);
    // Alternatives that break the rules are dropped too; the first that keeps them stands in for a value that does not.
    const alternatives = change.alternatives?.filter((after) => breachesOf({ ...change, after }).length === 0);
    if (breaches.length === 0) changes.push(alternatives ? { ...change, alternatives } : change);
    else if (alternatives?.length) changes.push({ ...change, after: alternatives[0]!, alternatives: alternatives.slice(1) });
    else withheld.push({ field: change.field, reason: `the proposal broke the agent's rules (${breaches.map((b) => b.message.replace(/\.$/, "")).join("; ")})` });
  }
  return { ...analysis, changes, withheld };
}
