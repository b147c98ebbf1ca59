/**
 * Counts the recommendations a database holds that break their agent's rules, each judged
 * against the item as it stood before the change (`npm run check:agent-rules`).
 */
import { count, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { executions, recommendations, storePages, storeProducts } from "@/db/schema";
import type { StoreItem } from "@/lib/platforms/adapter";
import { isAgentId, type AgentId } from "./catalog";
import { getAgent } from "./registry";
import { ruleCodes, type RuleCode } from "./suggestion-rules";

export type RuleAudit = { checked: number; breaking: number; byAgent: Partial<Record<AgentId, { checked: number; breaking: number; byRule: Partial<Record<RuleCode, number>> }>> };

const pageSize = 5_000;

export async function auditRecommendationRules(db: Db): Promise<RuleAudit> {
  const products = new Map((await db.select().from(storeProducts)).map((p) => [p.id, p]));
  const pages = new Map((await db.select().from(storePages)).map((p) => [p.id, p]));
  const duplicateRows = await db.select({ connectionId: storeProducts.connectionId, title: storeProducts.title }).from(storeProducts).groupBy(storeProducts.connectionId, storeProducts.title).having(gt(count(), 1));
  const duplicates = new Map<string, Set<string>>();
  for (const row of duplicateRows) duplicates.set(row.connectionId, (duplicates.get(row.connectionId) ?? new Set()).add(row.title));

  const audit: RuleAudit = { checked: 0, breaking: 0, byAgent: {} };
  for (let offset = 0; ; offset += pageSize) {
    const rows = await db
      .select({ id: recommendations.id, itemType: recommendations.itemType, itemRef: recommendations.itemRef, itemLabel: recommendations.itemLabel, field: recommendations.field, before: recommendations.beforeValue, after: recommendations.afterValue, agentId: executions.agentId, settings: executions.settings, connectionId: executions.connectionId })
      .from(recommendations)
      .innerJoin(executions, eq(executions.id, recommendations.executionId))
      .orderBy(recommendations.id)
      .limit(pageSize)
      .offset(offset);
    for (const row of rows) {
      if (!isAgentId(row.agentId)) continue;
      const agent = getAgent(row.agentId);
      const stored = row.itemType === "product" ? products.get(row.itemRef) : row.itemType === "page" ? pages.get(row.itemRef) : undefined;
      const settings = agent.settingsSchema.safeParse(row.settings);
      if (!stored || !settings.success) continue;
      const item: StoreItem = { type: row.itemType as StoreItem["type"], ref: row.itemRef, label: row.itemLabel, key: row.itemRef, fields: withField({ ...stored }, row.field, row.before) };
      const breaches = agent.changeBreaches(item, settings.data, duplicates.get(row.connectionId ?? "") ?? new Set<string>(), { field: row.field, after: row.after });
      const tally = (audit.byAgent[row.agentId] ??= { checked: 0, breaking: 0, byRule: {} });
      audit.checked++;
      tally.checked++;
      if (breaches.length === 0) continue;
      audit.breaking++;
      tally.breaking++;
      for (const rule of new Set(breaches.map((b) => b.rule))) tally.byRule[rule] = (tally.byRule[rule] ?? 0) + 1;
    }
    if (rows.length < pageSize) break;
  }
  for (const tally of Object.values(audit.byAgent)) tally.byRule = Object.fromEntries(ruleCodes.filter((r) => tally.byRule[r]).map((r) => [r, tally.byRule[r]]));
  return audit;
}

/** The item's fields with `field` (a recommendation's field name) holding `value`. */
function withField(fields: Record<string, unknown>, field: string, value: string | null): Record<string, unknown> {
  const image = /^images\.(\d+)\.(alt|bytes)$/.exec(field);
  if (image) {
    const images = (fields.images as Record<string, unknown>[]).map((img, n) => (n === Number(image[1]) ? { ...img, [image[2]!]: image[2] === "bytes" ? Number(value) : value } : img));
    return { ...fields, images };
  }
  const column = ({ meta_description: "metaDescription" } as Record<string, string>)[field] ?? field;
  return { ...fields, [column]: column === "description" ? value ?? "" : value };
}
