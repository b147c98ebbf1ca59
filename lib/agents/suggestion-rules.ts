/**
 * The rules every text an agent proposes keeps — whole sentences or whole words, no ellipsis,
 * nothing said twice, never the old value or the item's name again — and the cuts and
 * compositions that keep them. Each agent adds its own lengths and scoring on top.
 */

export type RuleCode =
  | "too_long"
  | "too_short"
  | "ellipsis"
  | "broken_sentence"
  | "repeated_sentence"
  | "repeated_phrase"
  | "unchanged"
  | "equals_name"
  | "no_improvement";

export type RuleBreach = { rule: RuleCode; message: string };

export const ruleCodes: RuleCode[] = ["too_long", "too_short", "ellipsis", "broken_sentence", "repeated_sentence", "repeated_phrase", "unchanged", "equals_name", "no_improvement"];

/** Words in a row that, said twice in one text, make it read as a copy-paste. */
const phraseWords = 5;
/** Of a long source (a page's whole body) only this many characters per character wanted are read. */
const sourceReadFactor = 8;

const endsSentence = /[.!?]["”’)]?$/;
const endsInEllipsis = /(…|\.\.\.)["”’)]?$/;

/** A text's sentences, whitespace made single spaces. A trailing fragment is kept as it is. */
function sentencesOf(text: string): string[] {
  return text.replace(/\s+/g, " ").trim().split(/(?<=[.!?]["”’)]?) (?=\S)/).filter(Boolean);
}

function normalized(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

function wordsOf(text: string): string[] {
  return normalized(text).split(" ").filter(Boolean);
}

/** The first run of `phraseWords` words the text says twice, or null. */
function repeatedPhrase(text: string): string | null {
  const words = wordsOf(text);
  const seen = new Set<string>();
  for (let i = 0; i + phraseWords <= words.length; i++) {
    const phrase = words.slice(i, i + phraseWords).join(" ");
    if (seen.has(phrase)) return phrase;
    seen.add(phrase);
  }
  return null;
}

function repeatedSentence(text: string): string | null {
  const seen = new Set<string>();
  for (const sentence of sentencesOf(text)) {
    const key = normalized(sentence);
    if (!key) continue;
    if (seen.has(key)) return sentence;
    seen.add(key);
  }
  return null;
}

/** Two texts that say the same once case, spacing and punctuation are set aside. */
export function isSameText(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && normalized(a) === normalized(b);
}

/**
 * The longest start of `text` that fits `max` characters and ends at a word boundary, without
 * a dangling separator; "" when not even the first word fits.
 */
export function cutAtWord(text: string, max: number): string {
  const clean = text.slice(0, sourceReadFactor * max + 2).replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const window = clean.slice(0, max + 1);
  const lastSpace = window.lastIndexOf(" ");
  if (lastSpace <= 0) return "";
  return window.slice(0, lastSpace).replace(/[\s,;:–—-]+$/, "");
}

/**
 * Prose of `min`–`max` characters made of whole, distinct sentences of the sources, in their
 * order, skipping any that would repeat a phrase; failing that, the first sentence cut at a
 * word. Null when neither reaches `min`.
 */
export function composeProse(sources: string[], limits: { min: number; max: number }, avoid: (string | null)[] = []): string | null {
  const seen = new Set<string>();
  const picked: string[] = [];
  let pickedLength = -1;
  // The picked sentences' words and phrases, so each candidate checks only the phrases it adds.
  const pickedWords: string[] = [];
  const pickedPhrases = new Set<string>();
  let firstSentence: string | null = null;
  const isAvoided = (text: string) => avoid.some((a) => isSameText(a, text));
  for (const source of sources) {
    for (const sentence of sentencesOf(source.slice(0, sourceReadFactor * limits.max))) {
      const key = normalized(sentence);
      if (!key || seen.has(key) || !endsSentence.test(sentence) || endsInEllipsis.test(sentence)) continue;
      seen.add(key);
      firstSentence ??= sentence;
      if (pickedLength + 1 + sentence.length > limits.max) continue;
      const words = [...pickedWords, ...key.split(" ")];
      const added = new Set<string>();
      let isRepeated = false;
      for (let i = Math.max(0, pickedWords.length - phraseWords + 1); i + phraseWords <= words.length && !isRepeated; i++) {
        const phrase = words.slice(i, i + phraseWords).join(" ");
        isRepeated = pickedPhrases.has(phrase) || added.has(phrase);
        added.add(phrase);
      }
      if (isRepeated) continue;
      picked.push(sentence);
      pickedLength += 1 + sentence.length;
      pickedWords.push(...words.slice(pickedWords.length));
      for (const phrase of added) pickedPhrases.add(phrase);
    }
  }
  const whole = picked.join(" ");
  if (whole.length >= limits.min && !isAvoided(whole)) return whole;
  if (firstSentence && firstSentence.length > limits.max) {
    const cut = cutAtWord(firstSentence, limits.max);
    if (cut.length >= limits.min && !isAvoided(cut) && !repeatedPhrase(cut)) return cut;
  }
  return null;
}

type TextRules = {
  min?: number;
  max?: number;
  /** Prose ends at the end of a sentence, or at a whole word of `source` when it had to be cut. */
  isProse?: boolean;
  source?: string;
  before: string | null;
  name?: string;
};

/** How a proposed text breaks the rules every agent keeps. */
export function textBreaches(text: string, rules: TextRules): RuleBreach[] {
  const breaches: RuleBreach[] = [];
  const trimmed = text.trim();
  if (rules.max !== undefined && trimmed.length > rules.max) breaches.push({ rule: "too_long", message: `It is ${trimmed.length} characters, over the ${rules.max} allowed.` });
  if (trimmed.length < Math.max(1, rules.min ?? 1)) breaches.push({ rule: "too_short", message: `It is ${trimmed.length} characters, under the ${rules.min ?? 1} needed.` });
  if (endsInEllipsis.test(trimmed)) breaches.push({ rule: "ellipsis", message: "It ends in an ellipsis." });
  if (/\.\.(?!\.)|\s[.,;:!?]|[,;:–—-]$/.test(trimmed) || (rules.isProse && !endsSentence.test(trimmed) && !endsAtSourceWord(trimmed, rules.source))) {
    breaches.push({ rule: "broken_sentence", message: "It stops in the middle of a sentence or word." });
  }
  const sentence = repeatedSentence(trimmed);
  if (sentence) breaches.push({ rule: "repeated_sentence", message: `It says “${sentence}” twice.` });
  else {
    const phrase = repeatedPhrase(trimmed);
    if (phrase) breaches.push({ rule: "repeated_phrase", message: `It says “${phrase}” twice.` });
  }
  if (isSameText(trimmed, rules.before)) breaches.push({ rule: "unchanged", message: "It is the current value again." });
  if (rules.name !== undefined && isSameText(trimmed, rules.name)) breaches.push({ rule: "equals_name", message: "It only repeats the item's name." });
  return breaches;
}

/** A cut text ends on a word its source has whole at that point. */
function endsAtSourceWord(text: string, source: string | undefined): boolean {
  if (!source) return false;
  const clean = source.replace(/\s+/g, " ").trim();
  const at = clean.indexOf(text);
  if (at < 0) return false;
  const next = clean.charAt(at + text.length);
  return next === "" || /[\s,;:–—-]/.test(next);
}
