import type { Scope } from "@/lib/platforms/adapter";
import type { AgentModule } from "./agent";
import { analyticsReview } from "./analytics-review";
import type { AgentId } from "./catalog";
import { performanceAudit } from "./performance-audit";
import { productDescriptionWriter } from "./product-description-writer";
import { seoAudit } from "./seo-audit";

export type AnySettings = { scope: Scope } & Record<string, unknown>;

const registry = {
  "seo-audit": seoAudit,
  "product-description-writer": productDescriptionWriter,
  "analytics-review": analyticsReview,
  "performance-audit": performanceAudit,
} satisfies Record<AgentId, unknown>;

/** The agent module for an id, seen through its common interface. */
export function getAgent(agentId: AgentId): AgentModule<AnySettings> {
  return registry[agentId] as unknown as AgentModule<AnySettings>;
}
