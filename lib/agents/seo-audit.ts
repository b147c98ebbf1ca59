import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { recommendations, storePages, storeProducts } from "@/db/schema";
import { scopeSchema, type StoreItem } from "@/lib/platforms/adapter";
import type { AgentModule } from "./agent";
import { agentCatalog } from "./catalog";
import { auditSeo, keepTitlesDistinct, proposedTitleCandidates, seoChangeBreaches, type SeoLimits, type SeoSubject } from "./seo-rules";
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
  async settleBatch(tx, run, analyses) {
    const processed = analyses.filter((a) => a.outcome !== "failed");
    const candidates = proposedTitleCandidates(processed);
    if (candidates.length === 0) return analyses;
    const distinct = keepTitlesDistinct(processed, await takenTitles(tx, run, candidates));
    let next = 0;
    return analyses.map((a) => (a.outcome === "failed" ? a : distinct[next++]!));
  },
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
    suffixes: isPage ? ["Guide"] : [String(attributes.color ?? f.collection), String(f.sku ?? "")],
    takenTitles: duplicates,
    imageDetail: isPage ? undefined : attributes.color,
  };
}

function seoLimitsOf(settings: SeoAuditSettings): SeoLimits {
  return { titleMax: settings.titleMaxLength, metaMin: settings.metaMinLength, metaMax: settings.metaMaxLength, thinWordsPage: 150, thinWordsProduct: 20 };
}

/**
 * Which of `candidates` a new title cannot be: the title of an item of the store (a product or a
 * page), or a title the run proposed in a batch it committed before. One query, each part by index.
 */
async function takenTitles(tx: Tx, run: { executionId: string; connectionId: string }, candidates: string[]): Promise<Set<string>> {
  const rows = await tx
    .select({ title: recommendations.afterValue })
    .from(recommendations)
    // The literal `field = 'title'` lets the planner use the partial index recommendations_execution_title_idx.
    .where(and(eq(recommendations.executionId, run.executionId), sql`${recommendations.field} = 'title'`, inArray(recommendations.afterValue, candidates)))
    .union(tx.select({ title: storeProducts.title }).from(storeProducts).where(and(eq(storeProducts.connectionId, run.connectionId), inArray(storeProducts.title, candidates))))
    .union(tx.select({ title: storePages.title }).from(storePages).where(and(eq(storePages.connectionId, run.connectionId), inArray(storePages.title, candidates))));
  return new Set(rows.map((r) => r.title));
}
