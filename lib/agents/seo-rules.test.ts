import { describe, expect, it } from "vitest";
import type { StoreItem } from "@/lib/platforms/adapter";
import type { ItemAnalysis } from "./agent";
import { analyzeItemsHere } from "./analysis/analyze";
import { auditSeo, keepTitlesDistinct, type SeoSubject } from "./seo-rules";

const limits = { titleMax: 60, metaMin: 70, metaMax: 160, thinWordsPage: 150, thinWordsProduct: 20 };
const subject = (over: Partial<SeoSubject>): SeoSubject => ({
  kind: "product", title: "Alpine Jacket", metaDescription: null, text: "", images: [], isDuplicateTitle: false, suffixes: ["Red", "AJ-0001"], ...over,
});
const titleChange = (subject: SeoSubject) => auditSeo(subject, limits).changes.find((c) => c.field === "title");
const titleOf = (finding: Pick<ItemAnalysis, "changes">) => finding.changes.find((c) => c.field === "title")?.after ?? null;
const finding = (after: string, alternatives: string[]): ItemAnalysis => ({
  outcome: "processed", score: 50, todos: [], withheld: [],
  changes: [{ field: "title", before: "x", after, alternatives, priority: "medium", rationale: "r", origin: "change" }, { field: "meta_description", before: null, after: "m", priority: "high", rationale: "r", origin: "change" }],
});

describe("the SEO audit's title fallbacks", () => {
  it("offers a cut title, then the name with the colour, then with the SKU, each within the length", () => {
    const change = titleChange(subject({ title: `Alpine Jacket – ${"Lightweight and Durable ".repeat(4)}` }));
    expect(change).toMatchObject({ after: "Alpine Jacket", alternatives: ["Alpine Jacket – Red", "Alpine Jacket – AJ-0001"] });
  });

  it("offers a duplicate title with the colour, then with the SKU, cut to make room for them", () => {
    const long = "Alpine Jacket for Hiking, Travel and Everyday Adventures";
    expect(titleChange(subject({ title: long, isDuplicateTitle: true }))).toMatchObject({
      after: "Alpine Jacket for Hiking, Travel and Everyday – Red",
      alternatives: ["Alpine Jacket for Hiking, Travel and Everyday – AJ-0001"],
    });
  });

  it("leaves out a fallback the store shares already, and one that would only repeat the suffix", () => {
    const change = titleChange(subject({ title: "Alpine Jacket – Red", isDuplicateTitle: true, takenTitles: new Set(["Alpine Jacket – Red", "Alpine Jacket – Red – AJ-0001"]) }));
    expect(change).toBeUndefined();
    expect(titleChange(subject({ title: "Alpine Jacket – Red", isDuplicateTitle: true, takenTitles: new Set(["Alpine Jacket – Red"]) }))).toMatchObject({ after: "Alpine Jacket – Red – AJ-0001" });
  });

  it("drops a fallback that breaks the rules and proposes the next one instead", () => {
    const item: StoreItem = {
      type: "product", ref: "p1", label: "Alpine Jacket", key: "product:p1",
      fields: { title: "Alpine Jacket", sku: "AJ-", collection: "Jackets", attributes: { color: "Red" }, description: "", metaDescription: null, images: [] },
    };
    const [analysis] = analyzeItemsHere({ agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 1 }, includePages: true, includeProducts: true, titleMaxLength: 60, metaMinLength: 70, metaMaxLength: 160 }, context: new Set(["Alpine Jacket"]), items: [item] });
    // "Alpine Jacket – AJ-" would end on a dash: only the colour is left to fall back to.
    expect(analysis!.outcome !== "failed" && analysis!.changes.find((c) => c.field === "title")).toMatchObject({ after: "Alpine Jacket – Red", alternatives: [] });
  });
});

describe("keeping a batch's titles distinct", () => {
  it("gives each item its first title nobody has, in item order, and withholds the title of one with none left", () => {
    const settled = keepTitlesDistinct([
      finding("Tent", ["Tent – Green", "Tent – T-1"]),
      finding("Tent", ["Tent – Green", "Tent – T-2"]),
      finding("Tent", ["Tent – Green", "Tent – T-2"]),
      finding("Tent", ["Tent – Orange", "Tent – T-4"]),
    ], (title) => ["Tent – T-2", "Tent – Orange"].includes(title));
    expect(settled.map(titleOf)).toEqual(["Tent", "Tent – Green", null, "Tent – T-4"]);
    expect(settled[2]!.withheld).toEqual([{ field: "title", reason: expect.stringMatching(/another item's title in the store, or proposed for another item in this run or in another run of the store/) }]);
    // The other changes stay as they were, and no alternatives are left to write.
    for (const one of settled) expect(one.changes.find((c) => c.field === "meta_description")).toMatchObject({ after: "m" });
    expect(settled.flatMap((one) => one.changes).some((c) => "alternatives" in c)).toBe(false);
  });
});
