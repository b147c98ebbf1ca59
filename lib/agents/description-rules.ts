import type { Priority } from "@/db/schema";
import { countWords } from "./findings";
import { textBreaches, type RuleBreach } from "./suggestion-rules";

/** The description writer: which products need copy, and the copy it writes from their attributes. */
export type DescribedProduct = {
  title: string;
  description: string;
  collection: string;
  attributes: Record<string, string>;
};

const weakDescriptionWords = 20;

export function needsDescription(product: Pick<DescribedProduct, "description">): boolean {
  return countWords(product.description) < weakDescriptionWords;
}

/** Copy is written from attributes; a product with none of them gives nothing true to say. */
export function hasDetailsToWriteFrom(product: DescribedProduct): boolean {
  const { material, color, weight } = product.attributes;
  return Boolean(clean(material) || clean(color) || clean(weight));
}

export function descriptionPriority(product: DescribedProduct): Priority {
  return product.description.trim() === "" ? "high" : "medium";
}

/** An attribute as it can stand inside a sentence: trimmed, without closing punctuation. */
function clean(value: string | undefined): string {
  return (value ?? "").replace(/\s+/g, " ").trim().replace(/[\s.,;:!?…]+$/, "");
}

function nameOf(product: DescribedProduct): string {
  return clean(product.title.split(" – ")[0] ?? product.title);
}

export function writeDescription(product: DescribedProduct, tone: "friendly" | "technical" = "friendly"): string {
  const material = clean(product.attributes.material);
  const color = clean(product.attributes.color);
  const weight = clean(product.attributes.weight);
  const fit = clean(product.attributes.fit);
  const collection = clean(product.collection).toLowerCase();
  const name = nameOf(product);
  const sentences = [
    `The ${name} is made from ${material || "durable materials"}${color ? ` in ${color.toLowerCase()}` : ""}.`,
    weight ? `At ${weight}, it is light enough to carry all day.` : "",
    fit ? `It has a ${fit} fit that leaves room for layers.` : "",
    tone === "technical"
      ? `Part of our ${collection} range, tested in the field for abrasion, water resistance and fit.`
      : `A dependable part of our ${collection} range for weekends away and everyday wear.`,
    "Covered by our two-year warranty and free repairs.",
  ];
  return sentences.filter(Boolean).join(" ");
}

/** How a new description breaks the writer's rules: whole sentences, nothing repeated, and no longer weak. */
export function descriptionBreaches(product: DescribedProduct, after: string): RuleBreach[] {
  const breaches = textBreaches(after, { isProse: true, before: product.description, name: nameOf(product) });
  const words = countWords(after);
  if (words < weakDescriptionWords) breaches.push({ rule: "too_short", message: `It has ${words} words; the writer's own bar is ${weakDescriptionWords}.` });
  return breaches;
}
