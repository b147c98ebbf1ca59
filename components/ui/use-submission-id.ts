"use client";

import { useMemo, useRef } from "react";

/** The field a create form sends its submission id in (lib/submissions/create-once.ts reads it). */
export const submissionIdField = "submissionId";

/**
 * The id a create form sends with every try of one entry, so a try sent again after its answer
 * was lost (or a double click) answers what the first made instead of making a second: `current()`
 * when the form is sent, `renew()` once the page has seen a success, for the next entry. Made in
 * the browser when the form is first sent, not while the page renders.
 */
export function useSubmissionId(): { current: () => string; renew: () => void } {
  const id = useRef<string | null>(null);
  return useMemo(() => ({ current: () => (id.current ??= newSubmissionId()), renew: () => void (id.current = null) }), []);
}

/** A random UUID; crypto.randomUUID() exists only on https and localhost pages, getRandomValues() everywhere. */
function newSubmissionId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
