"use client";

import { useOptimistic, useState, useTransition } from "react";
import { setWorkflowEnabled } from "@/app/(app)/workflows/actions";

export function EnabledToggle({ workflowId, isEnabled, name }: { workflowId: string; isEnabled: boolean; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  // Shows the new state at once; falls back to the saved one if the server refuses.
  const [shown, setShown] = useOptimistic(isEnabled);
  return (
    <label className="inline-flex items-center gap-2">
      <input
        type="checkbox"
        aria-label={`${name} enabled`}
        checked={shown}
        disabled={isPending}
        onChange={(e) => {
          const next = e.target.checked;
          startTransition(async () => {
            setShown(next);
            const result = await setWorkflowEnabled(workflowId, next);
            setError(result.ok ? null : result.message ?? "Could not save.");
          });
        }}
      />
      <span className="text-slate-600">{shown ? "On" : "Off"}</span>
      {error && <span role="alert" className="text-rose-700">{error}</span>}
    </label>
  );
}
