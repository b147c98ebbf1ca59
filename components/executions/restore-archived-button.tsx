"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { restoreArchivedAction } from "@/app/(app)/archived/actions";
import { Button } from "@/components/ui/button";
import { reachable } from "@/lib/http/reachable-action";

/** Restore on the Archived page: the run goes back to the history, and its page opens. */
export function RestoreArchivedButton({ executionId }: { executionId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <Button variant="secondary" disabled={isPending} title="Back to the history; its retention starts again today"
        onClick={() => startTransition(async () => {
          const result = await reachable(restoreArchivedAction)(executionId);
          if (result.ok) router.push(`/executions/${executionId}`);
          else setMessage(result.message);
        })}>
        Restore
      </Button>
      {message && <span role="alert" className="text-rose-700">{message}</span>}
    </>
  );
}
