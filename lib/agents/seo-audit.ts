import { count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { storeProducts } from "@/db/schema";
import { scopeSchema, type StoreItem } from "@/lib/platforms/adapter";
import type { AgentModule } from "./agent";
import { agentCatalog } from "./catalog";
import { auditSeo, seoChangeBreaches, type SeoLimits, type SeoSubject } from "./seo-rules";
import { auditSummary } from "./summaries";

const settingsSchema = z
  .object({
    scope: scopeSchema,
    includePages: z.boolean().default(true),
    includeProducts: z.boolean().default(true),
    titleMaxLength: z.coerce.number().int().min(30, "Titles of at least 30 characters.").max(120).default(60),
    metaMinLength: z.coerce.number().int().min(20).max(200).default(70),
    metaMaxLength: z.coerce.number().int().min(50).max(320).default(160),
  })
  .refine((s) => s.includePages || s.includeProducts, { message: "Include pages, products or both.", path: ["includePages"] })
  .refine((s) => s.metaMinLength < s.metaMaxLength, { message: "The shortest meta description must be shorter than the longest.", path: ["metaMinLength"] });

export type SeoAuditSettings = z.infer<typeof settingsSchema>;

export const seoAudit: AgentModule<SeoAuditSettings> = {
  info: agentCatalog["seo-audit"],
  settingsSchema,
  defaultSettings: { scope: { mode: "all", maxItems: 100 }, includePages: true, includeProducts: true, titleMaxLength: 60, metaMinLength: 70, metaMaxLength: 160 },
  itemQuery: (settings) => ({
    scope: settings.scope,
    types: [...(settings.includePages ? (["page"] as const) : []), ...(settings.includeProducts ? (["product"] as const) : [])],
  }),
  async loadContext(connectionId) {
    const db = await getDb();
    const rows = await db
      .select({ title: storeProducts.title })
      .from(storeProducts)
      .where(eq(storeProducts.connectionId, connectionId))
      .groupBy(storeProducts.title)
      .having(gt(count(), 1));
    return new Set(rows.map((r) => r.title));
  },
  analyze(item, settings, context) {
    const finding = auditSeo(seoSubjectOf(item, context), seoLimitsOf(settings));
    return { outcome: "processed", score: finding.score, changes: finding.changes.map((c) => ({ ...c, origin: "change" as const })), todos: finding.todos, withheld: finding.withheld };
  },
  changeBreaches: (item, settings, context, change) => seoChangeBreaches(seoSubjectOf(item, context), seoLimitsOf(settings), change),
  summarize: async ({ items, changeCount, todoCount }) => auditSummary("seo", items, changeCount, todoCount),
};


/** A page or product as the SEO rules see it; `context` is the set of titles several products share. */
function seoSubjectOf(item: StoreItem, context: unknown): SeoSubject {
  const duplicates = (context as Set<string> | undefined) ?? new Set<string>();
  const f = item.fields;
  const isPage = item.type === "page";
  const attributes = (f.attributes as Record<string, string> | undefined) ?? {};
  return {
    kind: isPage ? "page" : "product",
    title: String(f.title),
    metaDescription: (f.metaDescription as string | null) ?? null,
    text: String((isPage ? f.bodyText : f.description) ?? ""),
    images: f.images as { alt: string | null }[],
    headings: isPage ? (f.headings as { level: number; text: string }[]) : undefined,
    isDuplicateTitle: !isPage && duplicates.has(String(f.title)),
    suffix: isPage ? "Guide" : String(attributes.color ?? f.collection),
    takenTitles: duplicates,
    imageDetail: isPage ? undefined : attributes.color,
  };
}

function seoLimitsOf(settings: SeoAuditSettings): SeoLimits {
  return { titleMax: settings.titleMaxLength, metaMin: settings.metaMinLength, metaMax: settings.metaMaxLength, thinWordsPage: 150, thinWordsProduct: 20 };
}
