import type { Priority } from "@/db/schema";

/** The description writer: which products need copy, and the copy it writes from their attributes. */
export type DescribedProduct = {
  title: string;
  description: string;
  collection: string;
  attributes: Record<string, string>;
};

const weakDescriptionWords = 20;

export function needsDescription(product: DescribedProduct): boolean {
  return product.description.split(/\s+/).filter(Boolean).length < weakDescriptionWords;
}

/** Copy is written from attributes; a product with none of them gives nothing true to say. */
export function hasDetailsToWriteFrom(product: DescribedProduct): boolean {
  const { material, color, weight } = product.attributes;
  return Boolean(material || color || weight);
}

export function descriptionPriority(product: DescribedProduct): Priority {
  return product.description.trim() === "" ? "high" : "medium";
}

export function writeDescription(product: DescribedProduct, tone: "friendly" | "technical" = "friendly"): string {
  const { material, color, weight, fit } = product.attributes;
  const name = product.title.split(" – ")[0] ?? product.title;
  const sentences = [
    `The ${name} is made from ${material ?? "durable materials"}${color ? ` in ${color.toLowerCase()}` : ""}.`,
    weight ? `At ${weight}, it is light enough to carry all day.` : "",
    fit ? `It has a ${fit} fit that leaves room for layers.` : "",
    tone === "technical"
      ? `Part of our ${product.collection.toLowerCase()} range, tested in the field for abrasion, water resistance and fit.`
      : `A dependable part of our ${product.collection.toLowerCase()} range for weekends away and everyday wear.`,
    "Covered by our two-year warranty and free repairs.",
  ];
  return sentences.filter(Boolean).join(" ");
}
