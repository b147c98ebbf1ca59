"use client";

import { useSavedToggle } from "@/components/ui/use-saved-toggle";
import { setWorkflowEnabled } from "@/app/(app)/workflows/actions";

export function EnabledToggle({ workflowId, isEnabled, name }: { workflowId: string; isEnabled: boolean; name: string }) {
  const { shown, isPending, error, toggle } = useSavedToggle(isEnabled, (next) => setWorkflowEnabled(workflowId, next));
  return (
    <label className="inline-flex items-center gap-2">
      <input
        type="checkbox"
        aria-label={`${name} enabled`}
        checked={shown}
        disabled={isPending}
        onChange={(e) => toggle(e.target.checked)}
      />
      <span className="text-slate-600">{shown ? "On" : "Off"}</span>
      {error && <span role="alert" className="text-rose-700">{error}</span>}
    </label>
  );
}
