"use client";

import { useSavedToggle } from "@/components/ui/use-saved-toggle";
import { setExternalLinksAllowedAction } from "@/app/(app)/settings/sharing/actions";

/** Whether share links open for people outside the workspace; off means a link needs a signed-in member. */
export function ExternalLinksToggle({ isAllowed }: { isAllowed: boolean }) {
  const { shown, isPending, error, toggle } = useSavedToggle(isAllowed, setExternalLinksAllowedAction);
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          className="mt-1 size-4 accent-indigo-600"
          checked={shown}
          disabled={isPending}
          onChange={(e) => toggle(e.target.checked)}
        />
        <span>
          <span className="font-medium">Links open for people outside the workspace</span>
          <span className="block text-slate-500">
            When off, anyone opening a share link must sign in as a member of this workspace first. Links already created follow this at once.
          </span>
        </span>
      </label>
      {error && <p role="alert" className="mt-2 text-rose-700">{error}</p>}
    </div>
  );
}
