"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

const startEvent = "runlog:navigation-start";

/** Tells the progress bar that a navigation began that no link click shows (a filter's router.push). */
export function announceNavigation(): void {
  window.dispatchEvent(new Event(startEvent));
}

/**
 * A thin bar across the top of the window while the next page loads: started by a click on
 * an in-app link or by `announceNavigation`, finished when the URL changes (or after 15 s,
 * should the navigation never complete).
 */
export function NavigationProgress() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  // The address a navigation started from: the bar shows until the address is another one.
  const [leaving, setLeaving] = useState<string | null>(null);
  const isLoading = leaving === `${pathname}${search ? `?${search}` : ""}`;

  useEffect(() => {
    if (!isLoading) return;
    const timer = setTimeout(() => setLeaving(null), 15_000);
    return () => clearTimeout(timer);
  }, [isLoading]);

  useEffect(() => {
    const start = () => setLeaving(`${location.pathname}${location.search}`);
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as HTMLElement).closest?.("a");
      if (!link || link.target || link.hasAttribute("download")) return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || (url.pathname === location.pathname && url.search === location.search)) return;
      start();
    };
    document.addEventListener("click", onClick);
    window.addEventListener(startEvent, start);
    return () => {
      document.removeEventListener("click", onClick);
      window.removeEventListener(startEvent, start);
    };
  }, []);

  return (
    <div aria-hidden className="pointer-events-none fixed inset-x-0 top-0 z-[60] h-0.5">
      {isLoading && <div data-testid="navigation-progress" className="navigation-progress h-full bg-indigo-600" />}
    </div>
  );
}
