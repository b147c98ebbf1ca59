"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { deleteExecutionsAction } from "@/app/(app)/executions/actions";
import { Button } from "@/components/ui/button";
import { reachable } from "@/lib/http/reachable-action";
import { ConfirmDeleteDialog } from "./confirm-delete-dialog";

/** Delete on the detail page: confirms, deletes, and returns to the history. */
export function DeleteExecutionButton({ executionId, agentName }: { executionId: string; agentName: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <Button variant="secondary" className="text-rose-700" onClick={() => dialog.current?.showModal()}>Delete…</Button>
      {error && <p role="alert" className="text-rose-700">{error}</p>}
      <ConfirmDeleteDialog
        dialogRef={dialog}
        label={`this ${agentName} execution`}
        isPending={isPending}
        onConfirm={() =>
          startTransition(async () => {
            const result = await reachable(deleteExecutionsAction)([executionId]);
            dialog.current?.close();
            if (result.ok) router.push("/executions");
            else setError(result.message);
          })
        }
      />
    </>
  );
}
