"use client";

import { useIsHydrated } from "@/components/ui/use-is-hydrated";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/**
 * A log line's time to the second in the reader's zone, the date on hover. The server
 * renders UTC (it cannot know the reader's zone); the browser swaps in local time.
 */
export function LogClock({ iso }: { iso: string }) {
  const isClient = useIsHydrated();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={isClient ? full.format(date) : `${iso.slice(0, 19).replace("T", " ")} UTC`} className="whitespace-nowrap tabular-nums">
      {isClient ? clock.format(date) : `${iso.slice(11, 19)} UTC`}
    </time>
  );
}
