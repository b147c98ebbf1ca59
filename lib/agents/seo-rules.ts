import { clampScore, countWords, type ItemFinding, type ProposedChange } from "./findings";
import { composeProse, cutAtWord, isSameText, textBreaches, type RuleBreach } from "./suggestion-rules";

/** The SEO audit's checks for one page or product, as pure rules over its fields. */
export type SeoSubject = {
  kind: "page" | "product";
  title: string;
  metaDescription: string | null;
  text: string;
  images: { alt: string | null }[];
  headings?: { level: number; text: string }[];
  isDuplicateTitle: boolean;
  /**
   * What tells the item apart, most telling first (a product's colour, then its SKU; a page's
   * "Guide"): added to a new title that another item has already.
   */
  suffixes: string[];
  /** Titles other items already share: a new title must not be one of them. */
  takenTitles?: ReadonlySet<string>;
  /** What an image shows besides the item (a product's colour), for its alt text. */
  imageDetail?: string;
};

export type SeoLimits = { titleMax: number; metaMin: number; metaMax: number; thinWordsPage: number; thinWordsProduct: number };

const seoLimits: SeoLimits = { titleMax: 60, metaMin: 70, metaMax: 160, thinWordsPage: 150, thinWordsProduct: 20 };
const altMax = 120;
const todoTitleMax = 50;

/** The item's name: its title before any " – " tagline. */
function nameOf(subject: SeoSubject): string {
  return (subject.title.split(" – ")[0] ?? subject.title).trim();
}

export function auditSeo(subject: SeoSubject, limits = seoLimits): ItemFinding {
  const changes: ProposedChange[] = [];
  const withheld: NonNullable<ItemFinding["withheld"]> = [];
  const todos: ItemFinding["todos"] = [];
  let penalty = 0;
  const propose = (change: Omit<ProposedChange, "after"> & { after: string | null }, whyNot: string) => {
    if (change.after === null) withheld.push({ field: change.field, reason: whyNot });
    else changes.push({ ...change, after: change.after });
  };

  if (subject.title.length > limits.titleMax) {
    penalty += subject.title.length > 80 ? 18 : 10;
    propose({
      field: "title",
      before: subject.title,
      ...titleProposal(titleCandidates(subject, cutAtWord(nameOf(subject), limits.titleMax), limits)),
      priority: subject.title.length > 80 ? "high" : "medium",
      rationale: `The title is ${subject.title.length} characters; search results cut titles after about ${limits.titleMax}.`,
    }, `no shorter title of whole words fits ${limits.titleMax} characters and differs from other items' titles`);
  } else if (subject.isDuplicateTitle) {
    penalty += 10;
    propose({
      field: "title",
      before: subject.title,
      ...titleProposal(titleCandidates(subject, subject.title, limits)),
      priority: "medium",
      rationale: "Another item has exactly this title, so search engines cannot tell them apart.",
    }, `no distinct title fits ${limits.titleMax} characters`);
  }

  const meta = subject.metaDescription;
  const metaLimits = { min: limits.metaMin, max: limits.metaMax };
  const noMetaReason = subject.text.trim()
    ? `its text has no whole sentences that make a meta description of ${limits.metaMin}–${limits.metaMax} characters`
    : "it has no text to write a meta description from";
  if (!meta) {
    penalty += 20;
    propose({
      field: "meta_description",
      before: meta,
      after: composeProse([subject.text], metaLimits, [subject.title, nameOf(subject)]),
      priority: "high",
      rationale: "There is no meta description; search engines will pick a random snippet instead.",
    }, noMetaReason);
  } else if (meta.length < limits.metaMin || meta.length > limits.metaMax) {
    penalty += 8;
    propose({
      field: "meta_description",
      before: meta,
      after: composeProse([meta, subject.text], metaLimits, [meta, subject.title, nameOf(subject)]),
      priority: "medium",
      rationale: `The meta description is ${meta.length} characters; ${limits.metaMin}–${limits.metaMax} reads best in results.`,
    }, noMetaReason);
  }

  subject.images.forEach((image, index) => {
    if (image.alt) return;
    penalty += 6;
    propose({
      field: `images.${index}.alt`,
      before: null,
      after: proposeAlt(subject, index),
      priority: subject.kind === "product" ? "medium" : "low",
      rationale: "Images without alt text are invisible to screen readers and image search.",
    }, "the item has no name to describe the image with");
  });

  const words = countWords(subject.text);
  const thinLimit = subject.kind === "page" ? limits.thinWordsPage : limits.thinWordsProduct;
  const shownTitle = cutAtWord(subject.title, todoTitleMax) || `this ${subject.kind}`;
  if (words < thinLimit) {
    penalty += 15;
    todos.push({
      priority: words === 0 ? "high" : "medium",
      title: `Write more copy for “${shownTitle}”`,
      detail: `It has ${words} words; pages under ${thinLimit} words rarely rank.`,
    });
  }

  if (subject.headings) {
    const h1s = subject.headings.filter((h) => h.level === 1).length;
    if (h1s !== 1) {
      penalty += 8;
      todos.push({
        priority: "low",
        title: `${h1s === 0 ? "Add a main heading to" : "Keep one main heading on"} “${shownTitle}”`,
        detail: h1s === 0 ? "The page has no H1 heading." : `The page has ${h1s} H1 headings; one tells search engines the topic.`,
      });
    }
  }

  return { score: clampScore(100 - penalty), changes, todos, withheld };
}

/**
 * The new titles the item could have, best first: `base`, then `base` cut to make room for each
 * of the item's suffixes in turn. Only titles that fit, are not the item's own again and are not
 * among the titles the store shares.
 */
function titleCandidates(subject: SeoSubject, base: string, limits: SeoLimits): string[] {
  const isFree = (title: string) => title !== "" && !isSameText(title, subject.title) && !subject.takenTitles?.has(title);
  const candidates = [base];
  for (const suffix of subject.suffixes.map((s) => s.trim()).filter(Boolean)) {
    const tail = ` – ${suffix}`;
    const shortened = cutAtWord(base, limits.titleMax - tail.length);
    if (shortened && !shortened.endsWith(tail)) candidates.push(`${shortened}${tail}`);
  }
  return [...new Set(candidates.filter(isFree))];
}

/** The first candidate as the proposal and the others as its alternatives; no proposal without one. */
function titleProposal([first, ...others]: string[]): { after: string | null; alternatives?: string[] } {
  return { after: first ?? null, ...(others.length ? { alternatives: others } : {}) };
}

/** Every title the findings could propose: their title changes' values and alternatives. */
export function proposedTitleCandidates(findings: Pick<ItemFinding, "changes">[]): string[] {
  return [...new Set(findings.flatMap((f) => f.changes.filter((c) => c.field === "title").flatMap((c) => [c.after, ...(c.alternatives ?? [])])))];
}

/**
 * Findings whose proposed titles are all distinct, settled in the findings' order: each title
 * change keeps its first value (`after`, then its alternatives) that `isTaken` does not refuse
 * for that finding and that no earlier finding kept; a change with none left is withheld.
 * `isTaken(title, n)` says whether the nth finding's item may not have `title`: another item of
 * the store has it, the run already proposed it, or another run of the store proposed it for
 * another item and that proposal is still open. Titles compare exactly, as the store's own
 * duplicate check (`loadContext`) does.
 */
export function keepTitlesDistinct<F extends Pick<ItemFinding, "changes" | "withheld">>(findings: F[], isTaken: (title: string, index: number) => boolean): F[] {
  const kept = new Set<string>();
  return findings.map((finding, index) => {
    if (!finding.changes.some((c) => c.field === "title")) return finding;
    const withheld = [...(finding.withheld ?? [])];
    const changes = finding.changes.flatMap((change) => {
      if (change.field !== "title") return [change];
      const { alternatives = [], ...rest } = change;
      const title = [change.after, ...alternatives].find((value) => !kept.has(value) && !isTaken(value, index));
      if (title === undefined) {
        withheld.push({ field: "title", reason: "each title it could have is already another item's title in the store, or proposed for another item in this run or in another run of the store (not yet applied or rejected)" });
        return [];
      }
      kept.add(title);
      return [{ ...rest, after: title }];
    });
    return { ...finding, changes, withheld } as F;
  });
}

function proposeAlt(subject: SeoSubject, index: number): string | null {
  const detail = subject.kind === "product" && subject.imageDetail ? ` in ${subject.imageDetail.toLowerCase()}` : "";
  const view = subject.kind === "page" ? `, illustration ${index + 1}` : index > 0 || !detail ? `, view ${index + 1}` : "";
  const tail = `${detail}${view}`;
  const name = cutAtWord(nameOf(subject), altMax - tail.length);
  return name ? `${name}${tail}` : null;
}

/** How a change breaks the SEO audit's rules: its lengths, the rules of all text, and a better score once applied. */
export function seoChangeBreaches(subject: SeoSubject, limits: SeoLimits, change: Pick<ProposedChange, "field" | "after">): RuleBreach[] {
  const image = /^images\.(\d+)\.alt$/.exec(change.field);
  let breaches: RuleBreach[];
  let applied: SeoSubject;
  if (change.field === "title") {
    breaches = textBreaches(change.after, { max: limits.titleMax, before: subject.title });
    applied = { ...subject, title: change.after, isDuplicateTitle: subject.takenTitles?.has(change.after) ?? false };
  } else if (change.field === "meta_description") {
    breaches = textBreaches(change.after, { min: limits.metaMin, max: limits.metaMax, isProse: true, source: `${subject.metaDescription ?? ""} ${subject.text}`, before: subject.metaDescription, name: nameOf(subject) });
    if (isSameText(change.after, subject.title) && !breaches.some((b) => b.rule === "equals_name")) breaches.push({ rule: "equals_name", message: "It only repeats the item's title." });
    applied = { ...subject, metaDescription: change.after };
  } else if (image && subject.images[Number(image[1])]) {
    const index = Number(image[1]);
    breaches = textBreaches(change.after, { max: altMax, before: subject.images[index]!.alt, name: nameOf(subject) });
    applied = { ...subject, images: subject.images.map((img, n) => (n === index ? { ...img, alt: change.after } : img)) };
  } else {
    return [{ rule: "no_improvement", message: `The SEO audit does not change “${change.field}”.` }];
  }
  const now = auditSeo(subject, limits);
  const then = auditSeo(applied, limits);
  if (then.score <= now.score || then.changes.some((c) => c.field === change.field) || then.withheld?.some((w) => w.field === change.field)) {
    breaches.push({ rule: "no_improvement", message: "Applied, it would not fix what the audit found." });
  }
  return breaches;
}
