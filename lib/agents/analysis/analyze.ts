import type { StoreItem } from "@/lib/platforms/adapter";
import type { ItemAnalysis, ItemFailure } from "../agent";
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
      return agent.analyze(item, settings as never, context);
    } catch (error) {
      return { outcome: "failed", reason: error instanceof Error ? error.message : "The item could not be analysed." };
    }
  });
}
