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
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[,;:.–-]+$/, "")}…`;
}
