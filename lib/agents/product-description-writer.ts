import { z } from "zod";
import { scopeSchema } from "@/lib/platforms/adapter";
import type { AgentModule } from "./agent";
import { agentCatalog } from "./catalog";
import { descriptionBreaches, descriptionPriority, hasDetailsToWriteFrom, needsDescription, writeDescription, type DescribedProduct } from "./description-rules";

const settingsSchema = z.object({
  scope: scopeSchema,
  tone: z.enum(["friendly", "technical"]).default("friendly"),
  onlyWeakDescriptions: z.boolean().default(true),
});

export type DescriptionWriterSettings = z.infer<typeof settingsSchema>;

export const productDescriptionWriter: AgentModule<DescriptionWriterSettings> = {
  info: agentCatalog["product-description-writer"],
  settingsSchema,
  defaultSettings: { scope: { mode: "all", maxItems: 50 }, tone: "friendly", onlyWeakDescriptions: true },
  itemQuery: (settings) => ({ scope: settings.scope, types: ["product"], onlyWeakDescriptions: settings.onlyWeakDescriptions }),
  analyze(item, settings) {
    const product = item.fields as unknown as DescribedProduct;
    if (!needsDescription(product)) return { outcome: "skipped", score: null, changes: [], todos: [] };
    if (!hasDetailsToWriteFrom(product)) {
      return { outcome: "failed", reason: "Not enough product details to write from: add its material, colour or weight on the store." };
    }
    return {
      outcome: "processed",
      score: null,
      changes: [{
        origin: "generated",
        field: "description",
        before: product.description,
        after: writeDescription(product, settings.tone),
        priority: descriptionPriority(product),
        rationale: product.description ? "The description is too short to answer shoppers' questions." : "The product has no description.",
      }],
      todos: [],
    };
  },
  changeBreaches(item, _settings, _context, change) {
    if (change.field !== "description") return [{ rule: "no_improvement", message: `The writer does not change “${change.field}”.` }];
    return descriptionBreaches(item.fields as unknown as DescribedProduct, change.after);
  },
  async summarize({ changeCount, items }) {
    return {
      results: [
        { kind: "generated_content", title: "New product descriptions", payload: { count: changeCount, summary: `${changeCount} descriptions written` } },
        { kind: "report", title: "Summary", payload: { summary: `Wrote ${changeCount} descriptions for ${items.length} products with missing or weak copy.`, tables: [], charts: [] } },
      ],
      preview: `${changeCount} description${changeCount === 1 ? "" : "s"} written`,
    };
  },
};
