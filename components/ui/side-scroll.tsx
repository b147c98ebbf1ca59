"use client";

import { useEffect, useRef, useState } from "react";

/**
 * A box whose content (a wide table on a phone) scrolls sideways. While it does, the box is a
 * named tab stop, so a keyboard can scroll it with the arrow keys too (WCAG 2.1.1); while it
 * fits, it is no stop at all. A group, not a region: it sits in a section named the same, and
 * two landmarks of one name confuse. Positioned, so a visually hidden header (sr-only, absolute) in a
 * wide table scrolls with it instead of widening the page.
 */
export function SideScroll({ label, className = "", children }: { label: string; className?: string; children: React.ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [isScrolling, setIsScrolling] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setIsScrolling(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className={`relative overflow-x-auto ${className}`} {...(isScrolling ? { role: "group", "aria-label": label, tabIndex: 0 } : {})}>
      {children}
    </div>
  );
}
