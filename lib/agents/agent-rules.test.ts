import fc from "fast-check";
import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executionLogs, recommendations } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { executionById, startSeoAudit } from "@/db/testing/runs";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { StoreItem } from "@/lib/platforms/adapter";
import type { ItemAnalysis, ItemFailure } from "./agent";
import { analyzeItemsHere } from "./analysis/analyze";

/**
 * Every agent's proposals over many random stores keep the rules the agents state: the
 * checks here are written out again on purpose, not borrowed from the agents' own checker.
 */

const words = ["trail", "alpine", "jacket", "boot", "merino", "light", "warm", "pack", "tent", "storm", "ridge", "summit", "our", "the", "for", "and", "with", "every", "day", "rain", "night", "camp", "gear", "range", "fits", "well", "built", "from", "nylon", "down"];
const word = fc.constantFrom(...words);
const sentence = fc.array(word, { minLength: 2, maxLength: 16 }).map((w) => `${w.join(" ").replace(/^./, (c) => c.toUpperCase())}.`);
const prose = fc.array(sentence, { minLength: 0, maxLength: 14 }).chain((ss) =>
  // Stores repeat themselves: some texts say a sentence twice.
  fc.boolean().map((isRepeated) => (isRepeated && ss.length > 1 ? [...ss, ss[0]!] : ss).join(" ")),
);
const name = fc.array(word, { minLength: 1, maxLength: 12 }).map((w) => w.map((x) => x.replace(/^./, (c) => c.toUpperCase())).join(" "));
const title = fc.oneof(
  { weight: 6, arbitrary: name },
  { weight: 2, arbitrary: fc.tuple(name, name).map(([a, b]) => `${a} – ${b}, ${b} and more`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 140 }) },
);
/** A meta description as stores hold them: none, cut mid-word, the title again, too long with "…", or fine. */
const metaFor = (text: string, itemTitle: string) =>
  fc.oneof(
    fc.constant(null),
    fc.integer({ min: 1, max: 200 }).map((n) => text.slice(0, n).trim() || null),
    fc.constant(itemTitle),
    fc.constant(`${text.slice(0, 230)}…`),
    fc.string({ maxLength: 300 }),
  );
const alt = fc.option(name, { nil: null });
const bytes = fc.oneof(fc.integer({ min: 1_000, max: 480_000 }), fc.integer({ min: 500_001, max: 3_500_000 }));

const product = fc.record({ id: fc.uuid({ version: 4 }), title, description: prose, collection: fc.constantFrom("Jackets", "Footwear", "Tents"), images: fc.array(fc.record({ src: fc.constant("/i.jpg"), alt, bytes }), { maxLength: 4 }),
  attributes: fc.record({ material: fc.constantFrom("nylon", "Gore-Tex", "merino wool", "", "steel."), color: fc.constantFrom("Black", "Slate", ""), weight: fc.constantFrom("900 g", ""), fit: fc.constantFrom("slim", "relaxed", "") }, { requiredKeys: [] }),
}).chain((p) => metaFor(p.description, p.title).map((metaDescription) => ({ ...p, metaDescription })));

const page = fc.record({ id: fc.uuid({ version: 4 }), path: fc.constantFrom("/", "/pages/faq", "/blogs/a"), title, bodyText: prose,
  headings: fc.array(fc.record({ level: fc.constantFrom(1, 2), text: name }), { maxLength: 4 }),
  images: fc.array(fc.record({ src: fc.constant("/p.jpg"), alt, bytes }), { maxLength: 6 }),
  scriptCount: fc.integer({ min: 0, max: 30 }), scriptBytes: fc.integer({ min: 0, max: 1_500_000 }), htmlBytes: fc.integer({ min: 0, max: 300_000 }),
}).chain((p) => metaFor(p.bodyText, p.title).map((metaDescription) => ({ ...p, metaDescription })));

const store = fc.record({ products: fc.array(product, { minLength: 1, maxLength: 30 }), pages: fc.array(page, { minLength: 1, maxLength: 12 }) });
const seoSettings = fc.record({ titleMaxLength: fc.integer({ min: 30, max: 120 }), metaMinLength: fc.integer({ min: 20, max: 200 }), metaMaxLength: fc.integer({ min: 50, max: 320 }) })
  .filter((s) => s.metaMinLength < s.metaMaxLength);

type ProductRecord = typeof product extends fc.Arbitrary<infer T> ? T : never;
type PageRecord = typeof page extends fc.Arbitrary<infer T> ? T : never;
type Limits = { titleMax: number; metaMin: number; metaMax: number };
type AnyAnalysis = ItemAnalysis | ItemFailure;

const productItem = (p: ProductRecord): StoreItem => ({ type: "product", ref: p.id, label: p.title, key: `product:${p.id}`, fields: { ...p } });
const pageItem = (p: PageRecord): StoreItem => ({ type: "page", ref: p.id, label: p.path, key: `page:${p.id}`, fields: { ...p } });

const norm = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
const nameOf = (t: string) => (t.split(" – ")[0] ?? t).trim();

/** Every rule a proposed text keeps, checked from scratch; answers the broken ones. */
function brokenRules(field: string, after: string, before: string | null, item: StoreItem, limits: Limits): string[] {
  const broken: string[] = [];
  const itemTitle = String(item.fields.title);
  const isProse = field === "meta_description" || field === "description";
  if (/(…|\.\.\.)\W*$/.test(after) || after.includes("..")) broken.push("ellipsis");
  if (before !== null && norm(after) === norm(before)) broken.push("unchanged");
  if (field !== "title" && (norm(after) === norm(itemTitle) || norm(after) === norm(nameOf(itemTitle)))) broken.push("equals_name");
  const sentences = after.split(/(?<=[.!?])\s+/).map(norm).filter(Boolean);
  if (new Set(sentences).size !== sentences.length) broken.push("repeated_sentence");
  const w = norm(after).split(" ");
  const phrases = w.slice(0, Math.max(0, w.length - 4)).map((_, i) => w.slice(i, i + 5).join(" "));
  if (new Set(phrases).size !== phrases.length) broken.push("repeated_phrase");
  if (isProse && !/[.!?]$/.test(after)) {
    // Cut at a word: the source goes on with a space or ends right there.
    const source = `${item.fields.metaDescription ?? ""} ${item.fields.description ?? item.fields.bodyText ?? ""}`.replace(/\s+/g, " ");
    const at = source.indexOf(after);
    if (at < 0 || /[\p{L}\p{N}]/u.test(source.charAt(at + after.length))) broken.push("cut_mid_word");
  }
  if (field === "title" && after.length > limits.titleMax) broken.push("title_length");
  if (field === "meta_description" && (after.length < limits.metaMin || after.length > limits.metaMax)) broken.push("meta_length");
  if (/^images\.\d+\.alt$/.test(field) && (after.trim() === "" || after.length > 120)) broken.push("alt_length");
  if (field === "description" && after.split(/\s+/).filter(Boolean).length < 20) broken.push("description_words");
  return broken;
}

/** The item with the change applied, as the store would hold it. */
function applied(item: StoreItem, field: string, after: string): StoreItem {
  const image = /^images\.(\d+)\.(alt|bytes)$/.exec(field);
  if (image) {
    const images = (item.fields.images as Record<string, unknown>[]).map((img, n) => (n === Number(image[1]) ? { ...img, [image[2]!]: image[2] === "bytes" ? Number(after) : after } : img));
    return { ...item, fields: { ...item.fields, images } };
  }
  const column = field === "meta_description" ? "metaDescription" : field;
  return { ...item, fields: { ...item.fields, [column]: after } };
}

function scoreOf(analysis: AnyAnalysis): number {
  return analysis.outcome === "failed" ? -1 : analysis.score ?? 0;
}

/** Checks one agent's analyses of `items`: every change keeps every rule and improves the item by the agent's own analysis. */
function checkAgent(agentId: string, settings: Record<string, unknown>, context: unknown, items: StoreItem[], limits: Limits) {
  const analyses = analyzeItemsHere({ agentId, settings, context, items });
  analyses.forEach((analysis, n) => {
    const item = items[n]!;
    if (analysis.outcome === "failed") return;
    for (const withheld of analysis.withheld ?? []) expect(withheld.reason.trim().length, `${agentId} withheld ${withheld.field} without a reason`).toBeGreaterThan(10);
    for (const change of analysis.changes) {
      expect(brokenRules(change.field, change.after, change.before, item, limits), `${agentId} ${change.field} “${change.after}”`).toEqual([]);
      const [again] = analyzeItemsHere({ agentId, settings, context, items: [applied(item, change.field, change.after)] });
      const proposedAgain = again!.outcome !== "failed" && (again!.changes.some((c) => c.field === change.field) || (again!.withheld ?? []).some((w) => w.field === change.field));
      expect(proposedAgain, `${agentId} would still find “${change.field}” wanting after “${change.after}”`).toBe(false);
      if (agentId === "product-description-writer") expect(again!.outcome).toBe("skipped");
      else expect(scoreOf(again!), `${agentId} scores ${change.field} no better after the change`).toBeGreaterThan(scoreOf(analysis));
    }
    if (agentId === "seo-audit") {
      // Each meta description the audit finds wanting gets a valid proposal or a reason why not.
      const meta = item.fields.metaDescription as string | null;
      const isWanting = !meta || meta.length < limits.metaMin || meta.length > limits.metaMax;
      const answers = [...analysis.changes, ...(analysis.withheld ?? [])].filter((c) => c.field === "meta_description");
      expect(answers.length).toBe(isWanting ? 1 : 0);
    }
    for (const todo of analysis.todos) expect(todo.title).not.toMatch(/…|\.\.\./);
  });
}

describe("agents keep their own rules over random stores", () => {
  const runs = { numRuns: 40, seed: 20261205 };

  it("the SEO audit proposes titles, meta descriptions and alt texts of the right length, whole, unrepeated, new and better", () => {
    fc.assert(fc.property(store, seoSettings, (s, settings) => {
      const products = s.products.map(productItem);
      const counts = new Map<string, number>();
      for (const p of s.products) counts.set(p.title, (counts.get(p.title) ?? 0) + 1);
      const duplicates = new Set([...counts].filter(([, n]) => n > 1).map(([t]) => t));
      const limits = { titleMax: settings.titleMaxLength, metaMin: settings.metaMinLength, metaMax: settings.metaMaxLength };
      checkAgent("seo-audit", { scope: { mode: "all", maxItems: 100 }, includePages: true, includeProducts: true, ...settings }, duplicates, [...s.pages.map(pageItem), ...products], limits);
    }), runs);
  });

  it("the description writer writes whole, unrepeated descriptions of at least 20 words that are neither the old text nor the name", () => {
    fc.assert(fc.property(store, fc.constantFrom("friendly", "technical"), (s, tone) => {
      checkAgent("product-description-writer", { scope: { mode: "all", maxItems: 100 }, tone, onlyWeakDescriptions: true }, null, s.products.map(productItem), { titleMax: 0, metaMin: 0, metaMax: 0 });
    }), runs);
  });

  it("the performance audit proposes only smaller images within budget that raise the page's score", () => {
    fc.assert(fc.property(store, (s) => {
      checkAgent("performance-audit", { scope: { mode: "all", maxItems: 100 }, device: "mobile" }, null, s.pages.map(pageItem), { titleMax: 0, metaMin: 0, metaMax: 0 });
    }), runs);
  });

  it("the analytics review proposes no store changes", () => {
    fc.assert(fc.property(fc.array(fc.record({ sessions: fc.nat(5000), pageviews: fc.nat(9000), conversions: fc.nat(200), bounceRate: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 90 }), (days) => {
      const items = days.map((d, n): StoreItem => ({ type: "day", ref: `2026-01-${n}`, label: `day ${n}`, key: `day:${n}`, fields: { day: `2026-01-${n}`, ...d } }));
      for (const analysis of analyzeItemsHere({ agentId: "analytics-review", settings: { scope: { mode: "all", maxItems: 90 }, periodDays: 30, compareWithPrevious: true }, context: null, items })) {
        expect(analysis.outcome === "failed" ? [] : analysis.changes).toEqual([]);
      }
    }), runs);
  });
});

describe("an item the agent can propose nothing valid for", () => {
  it("gets no recommendation for that field and the run's log says why", async () => {
    const { admin } = await seededPeople();
    const db = await getDb();
    const id = await startSeoAudit(admin, 150);
    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    expect((await executionById(id)).status).toBe("completed");
    const [line] = await db.select({ message: executionLogs.message }).from(executionLogs)
      .where(and(eq(executionLogs.executionId, id), like(executionLogs.message, "No meta description proposed for %")));
    expect(line?.message).toMatch(/^No meta description proposed for “.+”: .+\.$/);
    const proposed = await db.select({ after: recommendations.afterValue }).from(recommendations).where(eq(recommendations.executionId, id));
    expect(proposed.length).toBeGreaterThan(0);
    for (const { after } of proposed) expect(after).not.toMatch(/…$/);
  });
});
