"use client";

import { useOptimistic, useState, useTransition } from "react";
import { reachable } from "@/lib/http/reachable-action";
import type { Answer } from "@/lib/outcome";

/**
 * A checkbox whose change is saved by a server action: it shows the new state at once and
 * falls back to the saved one, with the server's sentence, if the save is refused or gets no
 * answer (reachable()).
 */
export function useSavedToggle(saved: boolean, save: (next: boolean) => Promise<Answer>) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(saved);
  const toggle = (next: boolean) =>
    startTransition(async () => {
      setShown(next);
      const result = await reachable(save)(next);
      setError(result.ok ? null : result.message);
    });
  return { shown, isPending, error, toggle };
}
