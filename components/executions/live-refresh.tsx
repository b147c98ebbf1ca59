"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While runs on the page are live, re-renders it from the server every few seconds (no full reload). */
export function LiveRefresh({ isActive, everyMs = 2000 }: { isActive: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!isActive) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [isActive, everyMs, router]);
  return null;
}
