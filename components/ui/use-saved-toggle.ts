"use client";

import { useOptimistic, useState, useTransition } from "react";

type Saved = { ok: true } | { ok: false; message?: string };

/**
 * A checkbox whose change is saved by a server action: it shows the new state at once and
 * falls back to the saved one, with the server's sentence, if the save is refused.
 */
export function useSavedToggle(saved: boolean, save: (next: boolean) => Promise<Saved>) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(saved);
  const toggle = (next: boolean) =>
    startTransition(async () => {
      setShown(next);
      const result = await save(next);
      setError(result.ok ? null : result.message ?? "Could not save; try again.");
    });
  return { shown, isPending, error, toggle };
}
