"use client";

import { useIsHydrated } from "@/components/ui/use-is-hydrated";

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function describeAgo(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return relative.format(seconds, "second");
}

/**
 * A moment in the reader's own time zone, with "3 days ago" on hover. The server renders
 * UTC (it cannot know the reader's zone); the browser swaps in local time.
 */
export function LocalTime({ iso }: { iso: string }) {
  const isClient = useIsHydrated();
  const date = new Date(iso);
  const text = isClient ? absolute.format(date) : `${iso.slice(0, 16).replace("T", " ")} UTC`;
  return (
    <time
      dateTime={iso}
      onMouseEnter={(event) => {
        event.currentTarget.title = describeAgo(date, Date.now());
      }}
      className="whitespace-nowrap tabular-nums"
    >
      {text}
    </time>
  );
}
