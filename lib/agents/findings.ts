import type { Priority } from "@/db/schema";

/** What an agent concluded about one store item: a score, fixes it can apply, and to-dos for people. */
export type ItemFinding = {
  score: number;
  changes: ProposedChange[];
  todos: { priority: Priority; title: string; detail: string }[];
  /** Fields the agent found wanting but could propose nothing valid for, and why. */
  withheld?: WithheldChange[];
};

export type WithheldChange = { field: string; reason: string };

export type ProposedChange = {
  field: string;
  before: string | null;
  after: string;
  priority: Priority;
  rationale: string;
  /**
   * Values to propose instead, in order, should `after` turn out to be another item's: the engine
   * settles that once the batch is written (`AgentModule.settleBatch`).
   */
  alternatives?: string[];
};

export function clampScore(value: number): number {
  return Math.max(0, Math.min(100, Math.round(value)));
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
