"use client";

import type { RefObject } from "react";
import { Button } from "@/components/ui/button";

type Props = { dialogRef: RefObject<HTMLDialogElement | null>; label: string; isPending: boolean; onConfirm: () => void; onClose?: () => void };

/** The one confirmation before executions are deleted: what goes, and that no credits come back. */
export function ConfirmDeleteDialog({ dialogRef, label, isPending, onConfirm, onClose }: Props) {
  return (
    <dialog ref={dialogRef} aria-labelledby="delete-title" className="m-auto max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40" onClose={onClose}>
      <div className="space-y-3 p-5">
        <h2 id="delete-title" className="text-lg font-semibold">Delete {label}?</h2>
        <p className="text-slate-700">
          This cannot be undone. Results, recommendations, logs, shares and report files are removed for good, and <strong>no credits are refunded</strong>.
          Download any results you still need first. The audit log keeps a record of the deletion.
        </p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => dialogRef.current?.close()}>Keep it</Button>
          <Button variant="danger" disabled={isPending} onClick={onConfirm}>{isPending ? "Deleting…" : "Delete permanently"}</Button>
        </div>
      </div>
    </dialog>
  );
}
