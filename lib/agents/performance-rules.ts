import { clampScore, type ItemFinding, type ProposedChange } from "./findings";
import type { RuleBreach } from "./suggestion-rules";

/** The performance audit's checks for one page: weight of HTML, images and scripts. */
export type PerformanceSubject = {
  path: string;
  htmlBytes: number;
  scriptCount: number;
  scriptBytes: number;
  images: { src: string; bytes: number }[];
};

export const heavyImageBytes = 500_000;
const targetImageBytes = 250_000;

export function auditPerformance(page: PerformanceSubject): ItemFinding {
  const changes: ProposedChange[] = [];
  const todos: ItemFinding["todos"] = [];
  let penalty = 0;

  page.images.forEach((image, index) => {
    if (image.bytes <= heavyImageBytes) return;
    penalty += image.bytes > 1_500_000 ? 14 : 8;
    changes.push({
      field: `images.${index}.bytes`,
      before: String(image.bytes),
      after: String(Math.min(image.bytes, targetImageBytes)),
      priority: image.bytes > 1_500_000 ? "high" : "medium",
      rationale: `${image.src} weighs ${Math.round(image.bytes / 1024)} KB; recompressed as WebP it stays under ${targetImageBytes / 1000} KB with no visible loss.`,
    });
  });

  if (page.scriptBytes > 600_000) {
    penalty += Math.min(25, Math.round(page.scriptBytes / 100_000) * 2);
    todos.push({
      priority: page.scriptBytes > 1_000_000 ? "high" : "medium",
      title: `Trim scripts on ${page.path}`,
      detail: `${page.scriptCount} scripts, ${Math.round(page.scriptBytes / 1024)} KB in all. Defer or remove the ones the page does not need.`,
    });
  }
  if (page.htmlBytes > 150_000) {
    penalty += 8;
    todos.push({
      priority: "low",
      title: `Slim the HTML of ${page.path}`,
      detail: `The document is ${Math.round(page.htmlBytes / 1024)} KB before images and scripts.`,
    });
  }
  return { score: clampScore(100 - penalty), changes, todos };
}

export function pageWeightBytes(page: PerformanceSubject): number {
  return page.htmlBytes + page.scriptBytes + page.images.reduce((sum, image) => sum + image.bytes, 0);
}

/** How a change breaks the performance audit's rules: an image's new size must be smaller and within budget, so the page scores better. */
export function performanceChangeBreaches(page: PerformanceSubject, change: Pick<ProposedChange, "field" | "after">): RuleBreach[] {
  const image = /^images\.(\d+)\.bytes$/.exec(change.field);
  const index = Number(image?.[1]);
  const current = page.images[index];
  if (!image || !current) return [{ rule: "no_improvement", message: `The performance audit does not change “${change.field}”.` }];
  const bytes = Number(change.after);
  if (!/^\d+$/.test(change.after) || bytes === 0) return [{ rule: "broken_sentence", message: "The new size is not a whole, positive number of bytes." }];
  const breaches: RuleBreach[] = [];
  if (bytes === current.bytes) breaches.push({ rule: "unchanged", message: "It is the current size again." });
  if (bytes > heavyImageBytes) breaches.push({ rule: "too_long", message: `${bytes} bytes is still over the ${heavyImageBytes}-byte budget.` });
  const now = auditPerformance(page);
  const then = auditPerformance({ ...page, images: page.images.map((img, n) => (n === index ? { ...img, bytes } : img)) });
  if (then.score <= now.score || then.changes.some((c) => c.field === change.field)) breaches.push({ rule: "no_improvement", message: "Applied, it would not make the page score better." });
  return breaches;
}
