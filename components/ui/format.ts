/** Formatting at the edge: numbers and durations as people read them. */

const numberFormat = new Intl.NumberFormat("en-US");

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "1 item", "2 items", "1,204 action items": a count with its noun in the right number. */
export function formatCount(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${numberFormat.format(value)} ${value === 1 ? singular : pluralForm}`;
}

/** A name as it reads inside a sentence: "Run product description writer", but "Run SEO audit". */
export function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? `${name[0]!.toLowerCase()}${name.slice(1)}` : name;
}

export function formatCredits(value: number): string {
  return numberFormat.format(value);
}

export function formatDuration(ms: number | null): string {
  if (ms === null || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function durationBetween(start: Date | null, end: Date | null): number | null {
  return start && end ? end.getTime() - start.getTime() : null;
}

const labelMoment = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A moment as a label reads it aloud ("3 Mar 2026, 14:05 UTC"), never an ISO timestamp. */
export function formatMomentLabel(iso: string): string {
  return `${labelMoment.format(new Date(iso))} UTC`;
}

const utcDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A UTC day as people read it ("12 Dec 2026"). */
export function formatUtcDay(date: Date): string {
  return utcDay.format(date);
}
