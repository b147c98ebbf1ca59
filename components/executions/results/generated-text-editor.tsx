"use client";

import { useActionState, useState } from "react";
import { saveEditedTextAction } from "@/app/(app)/executions/[id]/actions";
import { reachableForm } from "@/lib/http/reachable-action";
import type { Answer } from "@/lib/outcome";
import { Button } from "@/components/ui/button";

/** The form that rewrites a generated text before it applies; `onDone` hears whether it was saved. */
export function GeneratedTextEditor({ recommendationId, label, text, maxLength, onDone }: {
  recommendationId: string;
  label: string;
  text: string;
  maxLength: number;
  onDone: (isSaved: boolean) => void;
}) {
  const [draft, setDraft] = useState(text);
  const [state, formAction, isPending] = useActionState(async (previous: Answer | null, formData: FormData) => {
    const next = await reachableForm(saveEditedTextAction)(previous, formData);
    if (next.ok) onDone(true);
    return next;
  }, null);

  const isTooLong = draft.length > maxLength;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="recommendationId" value={recommendationId} />
      <textarea
        name="text"
        aria-label={label}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        rows={Math.min(12, Math.max(4, Math.ceil(draft.length / 70)))}
        className="w-full rounded-md border border-slate-300 px-2 py-1.5 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={isPending || isTooLong || draft.trim() === ""}>{isPending ? "Saving…" : "Save"}</Button>
        <Button type="button" variant="ghost" disabled={isPending} onClick={() => onDone(false)}>Cancel</Button>
        <span className={`text-xs tabular-nums ${isTooLong ? "text-rose-700" : "text-slate-600"}`}>
          {draft.length.toLocaleString("en-US")} / {maxLength.toLocaleString("en-US")}
        </span>
      </div>
      {state && !state.ok && <p role="alert" className="text-sm text-rose-700">{state.message}</p>}
    </form>
  );
}
