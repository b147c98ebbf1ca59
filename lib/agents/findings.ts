import type { Priority } from "@/db/schema";

/** What an agent concluded about one store item: a score, fixes it can apply, and to-dos for people. */
export type ItemFinding = {
  score: number;
  changes: ProposedChange[];
  todos: { priority: Priority; title: string; detail: string }[];
};

export type ProposedChange = {
  field: string;
  before: string | null;
  after: string;
  priority: Priority;
  rationale: string;
};

export function clampScore(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value)));
}

/** Cuts text at a word boundary so it fits `max` characters. */
export function fitToLength(text: string, max: number): string {
  const clean = cleanStart(text, max);
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.–-]+$/, "")}…`;
}

/**
 * The text with whitespace runs made single spaces and trimmed; of a long text (a page's
 * whole body) only a start that is surely longer than `max`, all fitToLength keeps of it.
 */
function cleanStart(text: string, max: number): string {
  for (let end = 2 * max + 2; end < text.length; end *= 2) {
    const start = text.slice(0, end).replace(/\s+/g, " ").trimStart();
    // A non-space past `max`: the whole cleaned text is longer than `max` and starts with this.
    if (/\S/.test(start.slice(max))) return start;
  }
  return text.replace(/\s+/g, " ").trim();
}

/** Words in a text, as `text.split(/\s+/).filter(Boolean).length` counts them, without building that list. */
export function countWords(text: string): number {
  let words = 0;
  let isInWord = false;
  for (let i = 0; i < text.length; i++) {
    const isSpace = isWhitespace(text.charCodeAt(i));
    if (!isSpace && !isInWord) words++;
    isInWord = !isSpace;
  }
  return words;
}

/** The characters `\s` matches. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
