import type { SkippedCancel } from "./bulk-cancel";

/** The sentences the history's row menu and bulk bar show after a delete or a cancel (pure: the browser imports it). */
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function deletionSummary({ deleted, alreadyGone }: { deleted: string[]; alreadyGone: string[] }): string {
  return `Deleted ${plural(deleted.length, "execution")}.${alreadyGone.length ? ` ${alreadyGone.length} ${alreadyGone.length === 1 ? "was" : "were"} already deleted.` : ""}`;
}

export function cancelSummary({ canceled, canceling, skipped }: { canceled: number; canceling: number; skipped: SkippedCancel[] }): string {
  const parts = [
    canceled ? `${plural(canceled, "run")} canceled` : null,
    canceling ? `${plural(canceling, "run")} stopping after the current batch` : null,
    skipped.length ? `${plural(skipped.length, "run")} skipped (${skipped[0]!.reason})` : null,
  ].filter(Boolean);
  return `${parts.join("; ")}.`;
}
