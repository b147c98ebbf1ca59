"use client";

import { useState, useTransition } from "react";
import { setWorkflowEnabled } from "@/app/(app)/workflows/actions";

export function EnabledToggle({ workflowId, isEnabled, name }: { workflowId: string; isEnabled: boolean; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  return (
    <label className="inline-flex items-center gap-2">
      <input
        type="checkbox"
        aria-label={`${name} enabled`}
        checked={isEnabled}
        disabled={isPending}
        onChange={(e) => {
          const next = e.target.checked;
          startTransition(async () => {
            const result = await setWorkflowEnabled(workflowId, next);
            setError(result.ok ? null : result.message ?? "Could not save.");
          });
        }}
      />
      <span className="text-slate-600">{isEnabled ? "On" : "Off"}</span>
      {error && <span role="alert" className="text-rose-700">{error}</span>}
    </label>
  );
}
