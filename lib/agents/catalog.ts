import type { ResultKind } from "@/db/schema";

/**
 * What a person needs to know about each agent before running it: its name, what it
 * does, what it returns and what it costs. The agents' work itself lives beside this
 * file, one module each.
 */
export type AgentId = "seo-audit" | "product-description-writer" | "analytics-review" | "performance-audit";

export type CostModel = { base: number; perItem: number };

export type AgentInfo = {
  id: AgentId;
  name: string;
  description: string;
  version: string;
  itemType: "page" | "product" | "page_or_product" | "day";
  resultKinds: readonly ResultKind[];
  cost: CostModel;
};

export const agentCatalog = {
  "seo-audit": {
    id: "seo-audit",
    name: "SEO audit",
    description:
      "Checks titles, meta descriptions, headings, image alt text, duplicate titles and thin content on pages and products.",
    version: "1.4.0",
    itemType: "page_or_product",
    resultKinds: ["scores", "recommendations", "report", "action_items"],
    cost: { base: 5, perItem: 2 },
  },
  "product-description-writer": {
    id: "product-description-writer",
    name: "Product description writer",
    description: "Writes descriptions for products whose copy is missing or weak, from the product's own attributes.",
    version: "2.1.0",
    itemType: "product",
    resultKinds: ["generated_content", "report"],
    cost: { base: 2, perItem: 4 },
  },
  "analytics-review": {
    id: "analytics-review",
    name: "Analytics review",
    description: "Reviews orders and traffic: conversion, order value, trends, and what changed since the last review.",
    version: "1.2.0",
    itemType: "day",
    resultKinds: ["scores", "report", "action_items"],
    cost: { base: 10, perItem: 1 },
  },
  "performance-audit": {
    id: "performance-audit",
    name: "Performance audit",
    description: "Measures page weight, image sizes and scripts, scores each page and lists what to fix first.",
    version: "1.0.3",
    itemType: "page",
    resultKinds: ["scores", "recommendations", "action_items"],
    cost: { base: 5, perItem: 3 },
  },
} as const satisfies Record<AgentId, AgentInfo>;

export const agentIds = Object.keys(agentCatalog) as AgentId[];

export function isAgentId(value: string): value is AgentId {
  return Object.hasOwn(agentCatalog, value);
}

export function agentName(agentId: string): string {
  return isAgentId(agentId) ? agentCatalog[agentId].name : agentId;
}

/** Credits an execution of `itemCount` items is estimated to cost. */
export function estimateCredits(agentId: AgentId, itemCount: number): number {
  const { base, perItem } = agentCatalog[agentId].cost;
  return base + perItem * itemCount;
}
