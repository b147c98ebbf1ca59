import { count, eq, gt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { executeRows, getDb, type Tx } from "@/db/client";
import { executions, recommendations, storePages, storeProducts } from "@/db/schema";
import { scopeSchema, type StoreItem } from "@/lib/platforms/adapter";
import type { AgentModule, SettlingRun } from "./agent";
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
  async settleBatch(tx, run, batch) {
    const processed = batch.flatMap(({ item, analysis }) => (analysis.outcome === "failed" ? [] : [{ ref: item.ref, analysis }]));
    const candidates = processed.flatMap(({ ref, analysis }) => proposedTitleCandidates([analysis]).map((title) => ({ ref, title })));
    if (candidates.length === 0) return batch.map(({ analysis }) => analysis);
    const taken = await takenTitles(tx, run, candidates);
    const distinct = keepTitlesDistinct(processed.map(({ analysis }) => analysis), (title, n) => taken.has(title) || taken.has(titleFor(processed[n]!.ref, title)));
    let next = 0;
    return batch.map(({ analysis }) => (analysis.outcome === "failed" ? analysis : distinct[next++]!));
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

/** A title as taken for one item only (`takenTitles`). */
const titleFor = (ref: string, title: string) => `${ref}\u0000${title}`;

/**
 * Which of `candidates` a new title cannot be: the title of an item of the store (a product or a
 * page), a title the run proposed in a batch it committed before, or (as `titleFor(ref, title)`,
 * taken for that item only) a title another run of the store proposed for another item and that
 * nobody applied or rejected yet (pending or approved). One query, each part by index.
 *
 * Batches of the store's runs take turns from here until they commit, so a batch sees every
 * title that the batches before it proposed, whichever run or process wrote them. A run may
 * propose what another run proposed for the same item: applying both gives no item a title
 * another has, and an audit run again over unreviewed proposals keeps its titles.
 */
async function takenTitles(tx: Tx, run: SettlingRun, candidates: { ref: string; title: string }[]): Promise<Set<string>> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`seo titles ${run.connectionId}`}))`);
  const titles = [...new Set(candidates.map((c) => c.title))];
  const pairs = sql.join(candidates.map((c) => sql`(${c.ref}::text, ${c.title}::text)`), sql`, `);
  // The literal `field = 'title'` (and status list) lets the planner use the partial indexes;
  // the item's own proposals are stepped over as two ranges of recommendations_open_title_idx.
  const otherRunHas = (side: SQL) => sql`exists (
    select 1 from ${recommendations} r join ${executions} e on e.id = r.execution_id
    where r.workspace_id = ${run.workspaceId} and r.field = 'title' and r.status in ('pending', 'approved')
      and r.after_value = c.title and ${side} and r.execution_id <> ${run.executionId} and e.connection_id = ${run.connectionId})`;
  const rows = await executeRows<{ title: string; ref: string | null }>(tx, sql`
    select after_value as title, null as ref from ${recommendations}
      where execution_id = ${run.executionId} and field = 'title' and after_value in ${titles}
    union select title, null from ${storeProducts} where connection_id = ${run.connectionId} and title in ${titles}
    union select title, null from ${storePages} where connection_id = ${run.connectionId} and title in ${titles}
    union select c.title, c.ref from (values ${pairs}) as c(ref, title)
      where ${otherRunHas(sql`r.item_ref < c.ref`)} or ${otherRunHas(sql`r.item_ref > c.ref`)}`);
  return new Set(rows.map((r) => (r.ref === null ? r.title : titleFor(r.ref, r.title))));
}
