"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { deleteViewAction, renameViewAction, saveViewAction, setDefaultViewAction } from "@/app/(app)/executions/view-actions";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toaster";
import { useSubmissionId } from "@/components/ui/use-submission-id";
import type { ViewListing } from "@/lib/executions/saved-views";
import { reachable } from "@/lib/http/reachable-action";
import type { Answer } from "@/lib/outcome";

type Props = {
  /** The page's filters and search as their query string (what a view keeps). */
  query: string;
  /** The view the page shows, when it was opened from one. */
  current: ViewListing | null;
  isAdmin: boolean;
};

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

/** Saves the current filters as a view, and renames, deletes or makes default the view open now. */
export function SavedViewBar({ query, current, isAdmin }: Props) {
  const router = useRouter();
  const toast = useToast();
  const [isPending, startTransition] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);
  const saveDialog = useRef<HTMLDialogElement>(null);
  const saveSubmission = useSubmissionId();
  const run = (work: () => Promise<Answer>, done: string, after?: () => void) =>
    startTransition(async () => {
      const answer = await reachable(work)();
      if (!answer.ok) return setProblem(answer.message);
      setProblem(null);
      toast(done);
      after?.();
      router.refresh();
    });
  const mayDelete = current && (current.isOwn || (isAdmin && current.isShared));

  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Saved view" role="region">
      {current && (
        <span className="font-medium text-slate-800">
          View: {current.name}
          <span className="ml-1 text-xs font-normal text-slate-600">{current.isShared ? (current.isOwn ? "· shared with the workspace" : `· shared by ${current.ownerName ?? "a member"}`) : "· private"}{current.isDefault ? " · your default" : ""}</span>
        </span>
      )}
      <Button variant="secondary" disabled={isPending} onClick={() => saveDialog.current?.showModal()}>Save view…</Button>
      {current?.isOwn && (
        <Button variant="ghost" disabled={isPending} onClick={() => {
          const name = window.prompt("New name for this view", current.name);
          if (name !== null) run(() => renameViewAction({ id: current.id, name }), `Renamed to “${name.trim()}”.`);
        }}>Rename</Button>
      )}
      {current && (
        <Button variant="ghost" disabled={isPending} onClick={() => run(() => setDefaultViewAction({ id: current.isDefault ? null : current.id }), current.isDefault ? "Past executions opens the full list again." : `Past executions now opens “${current.name}”.`)}>
          {current.isDefault ? "Stop opening by default" : "Open by default"}
        </Button>
      )}
      {mayDelete && (
        <Button variant="ghost" className="text-rose-700" disabled={isPending} onClick={() => {
          if (window.confirm(`Delete the view “${current.name}”? Runs are not affected.`)) run(() => deleteViewAction(current.id), `Deleted the view “${current.name}”.`, () => router.push("/executions"));
        }}>Delete view</Button>
      )}
      {problem && <p role="alert" className="text-rose-700">{problem}</p>}
      <dialog ref={saveDialog} aria-labelledby="save-view-title" className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <form
          className="space-y-3 p-5"
          onSubmit={(e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            const input = { name: String(form.get("name") ?? ""), query, isShared: form.get("shared") === "on", isDefault: form.get("default") === "on", submissionId: saveSubmission.current() };
            run(() => saveViewAction(input), `Saved the view “${input.name.trim()}”.`, () => {
              saveSubmission.renew();
              saveDialog.current?.close();
            });
          }}
        >
          <h2 id="save-view-title" className="text-lg font-semibold">Save these filters as a view</h2>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium text-slate-700">Name</span>
            <input name="name" required maxLength={60} className={field} defaultValue={current?.name ?? ""} />
          </label>
          <label className="flex items-center gap-2"><input type="checkbox" name="shared" /> Share with everyone in the workspace</label>
          <label className="flex items-center gap-2"><input type="checkbox" name="default" /> Open Past executions with this view</label>
          {problem && <p role="alert" className="text-rose-700">{problem}</p>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => saveDialog.current?.close()}>Cancel</Button>
            <Button type="submit" disabled={isPending}>{isPending ? "Saving…" : "Save view"}</Button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
