"use client";

import { useLayoutEffect, useRef } from "react";

/**
 * The run page's header, kept in view on wide screens. Its height, which changes as its
 * actions wrap, is published as `--run-header-height` so that a list's column headings can
 * stay in view just below it.
 */
export function StickyRunHeader({ className, children }: { className: string; children: React.ReactNode }) {
  const header = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = header.current;
    if (!element) return;
    const root = document.documentElement;
    const publish = () => root.style.setProperty("--run-header-height", `${element.offsetHeight}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty("--run-header-height");
    };
  }, []);
  return <div ref={header} className={className}>{children}</div>;
}
