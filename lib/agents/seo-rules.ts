import { clampScore, countWords, fitToLength, type ItemFinding, type ProposedChange } from "./findings";

/** The SEO audit's checks for one page or product, as pure rules over its fields. */
export type SeoSubject = {
  kind: "page" | "product";
  title: string;
  metaDescription: string | null;
  text: string;
  images: { alt: string | null }[];
  headings?: { level: number; text: string }[];
  isDuplicateTitle: boolean;
  suffix: string;
};

const seoLimits = { titleMax: 60, metaMin: 70, metaMax: 160, thinWordsPage: 150, thinWordsProduct: 20 };

export function auditSeo(subject: SeoSubject, limits = seoLimits): ItemFinding {
  const changes: ProposedChange[] = [];
  const todos: ItemFinding["todos"] = [];
  let penalty = 0;
  const summarySource = subject.text || subject.title;

  if (subject.title.length > limits.titleMax) {
    penalty += subject.title.length > 80 ? 18 : 10;
    changes.push({
      field: "title",
      before: subject.title,
      after: fitToLength(subject.title.split(" – ")[0] ?? subject.title, limits.titleMax),
      priority: subject.title.length > 80 ? "high" : "medium",
      rationale: `The title is ${subject.title.length} characters; search results cut titles after about ${limits.titleMax}.`,
    });
  } else if (subject.isDuplicateTitle) {
    penalty += 10;
    changes.push({
      field: "title",
      before: subject.title,
      after: fitToLength(`${subject.title} – ${subject.suffix}`, limits.titleMax),
      priority: "medium",
      rationale: "Another item has exactly this title, so search engines cannot tell them apart.",
    });
  }

  const meta = subject.metaDescription;
  if (!meta) {
    penalty += 20;
    changes.push({
      field: "meta_description",
      before: meta,
      after: fitToLength(summarySource, 155),
      priority: "high",
      rationale: "There is no meta description; search engines will pick a random snippet instead.",
    });
  } else if (meta.length < limits.metaMin || meta.length > limits.metaMax) {
    penalty += 8;
    changes.push({
      field: "meta_description",
      before: meta,
      after: fitToLength(meta.length < limits.metaMin ? `${meta}. ${summarySource}` : meta, 155),
      priority: "medium",
      rationale: `The meta description is ${meta.length} characters; ${limits.metaMin}–${limits.metaMax} reads best in results.`,
    });
  }

  subject.images.forEach((image, index) => {
    if (image.alt) return;
    penalty += 6;
    changes.push({
      field: `images.${index}.alt`,
      before: null,
      after: fitToLength(`${subject.title.split(" – ")[0]}${index ? `, view ${index + 1}` : ""}`, 120),
      priority: subject.kind === "product" ? "medium" : "low",
      rationale: "Images without alt text are invisible to screen readers and image search.",
    });
  });

  const words = countWords(subject.text);
  const thinLimit = subject.kind === "page" ? limits.thinWordsPage : limits.thinWordsProduct;
  if (words < thinLimit) {
    penalty += 15;
    todos.push({
      priority: words === 0 ? "high" : "medium",
      title: `Write more copy for “${fitToLength(subject.title, 50)}”`,
      detail: `It has ${words} words; pages under ${thinLimit} words rarely rank.`,
    });
  }

  if (subject.headings) {
    const h1s = subject.headings.filter((h) => h.level === 1).length;
    if (h1s !== 1) {
      penalty += 8;
      todos.push({
        priority: "low",
        title: `${h1s === 0 ? "Add a main heading to" : "Keep one main heading on"} “${fitToLength(subject.title, 50)}”`,
        detail: h1s === 0 ? "The page has no H1 heading." : `The page has ${h1s} H1 headings; one tells search engines the topic.`,
      });
    }
  }

  return { score: clampScore(100 - penalty), changes, todos };
}
