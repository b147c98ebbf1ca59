import { z } from "zod";
import { scopeSchema, type StoreItem } from "@/lib/platforms/adapter";
import type { AgentModule } from "./agent";
import { agentCatalog } from "./catalog";
import { auditPerformance, heavyImageBytes, pageWeightBytes, performanceChangeBreaches, type PerformanceSubject } from "./performance-rules";
import { auditSummary } from "./summaries";

const settingsSchema = z.object({
  scope: scopeSchema.refine((s) => s.mode !== "collection", { message: "The performance audit reads pages; choose all pages or pick some.", path: ["mode"] }),
  device: z.enum(["mobile", "desktop"]).default("mobile"),
});

export type PerformanceAuditSettings = z.infer<typeof settingsSchema>;

export const performanceAudit: AgentModule<PerformanceAuditSettings> = {
  info: agentCatalog["performance-audit"],
  settingsSchema,
  defaultSettings: { scope: { mode: "all", maxItems: 50 }, device: "mobile" },
  itemQuery: (settings) => ({ scope: settings.scope, types: ["page"] }),
  analyze(item) {
    const page = pageOf(item);
    if (page.htmlBytes === 0) {
      return { outcome: "failed", reason: "The page returned no HTML: it may be unpublished or redirect elsewhere." };
    }
    const finding = auditPerformance(page);
    return {
      outcome: "processed",
      score: finding.score,
      changes: finding.changes.map((c) => ({ ...c, origin: "change" as const })),
      todos: finding.todos,
      data: { pageWeightBytes: pageWeightBytes(page), heavyImages: page.images.filter((i) => i.bytes > heavyImageBytes).length },
    };
  },
  changeBreaches: (item, _settings, _context, change) => performanceChangeBreaches(pageOf(item), change),
  summarize: async ({ items, changeCount, todoCount }) => auditSummary("performance", items, changeCount, todoCount),
};

function pageOf(item: StoreItem): PerformanceSubject {
  return {
    path: String(item.fields.path),
    htmlBytes: Number(item.fields.htmlBytes),
    scriptCount: Number(item.fields.scriptCount),
    scriptBytes: Number(item.fields.scriptBytes),
    images: item.fields.images as { src: string; bytes: number }[],
  };
}
