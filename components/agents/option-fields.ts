import type { AgentId } from "@/lib/agents/catalog";

/** The options each agent's run form shows besides the scope, described once as data. */
export type OptionField =
  | { name: string; label: string; kind: "boolean" }
  | { name: string; label: string; kind: "number"; min: number; max: number }
  | { name: string; label: string; kind: "select"; options: { value: string; label: string }[]; isNumber?: boolean };

export const optionFields: Record<AgentId, OptionField[]> = {
  "seo-audit": [
    { name: "includePages", label: "Include pages", kind: "boolean" },
    { name: "includeProducts", label: "Include products", kind: "boolean" },
    { name: "titleMaxLength", label: "Longest title (characters)", kind: "number", min: 30, max: 120 },
    { name: "metaMinLength", label: "Shortest meta description", kind: "number", min: 20, max: 200 },
    { name: "metaMaxLength", label: "Longest meta description", kind: "number", min: 50, max: 320 },
  ],
  "product-description-writer": [
    { name: "tone", label: "Tone", kind: "select", options: [{ value: "friendly", label: "Friendly" }, { value: "technical", label: "Technical" }] },
    { name: "onlyWeakDescriptions", label: "Only products with missing or weak descriptions", kind: "boolean" },
  ],
  "analytics-review": [
    { name: "periodDays", label: "Period", kind: "select", isNumber: true, options: [7, 14, 30, 90].map((d) => ({ value: String(d), label: `Last ${d} days` })) },
    { name: "compareWithPrevious", label: "Compare with the previous review", kind: "boolean" },
  ],
  "performance-audit": [
    { name: "device", label: "Device", kind: "select", options: [{ value: "mobile", label: "Mobile" }, { value: "desktop", label: "Desktop" }] },
  ],
};

/** Agents whose scope is a number of store items (analytics reviews a period instead). */
export function hasItemScope(agentId: AgentId): boolean {
  return agentId !== "analytics-review";
}
