"use client";

import { useState, useTransition } from "react";
import { setKeptAction } from "@/app/(app)/executions/[id]/actions";
import { Button } from "@/components/ui/button";
import { reachable } from "@/lib/http/reachable-action";

/**
 * On a run's page: when it will leave the history (within 14 days of it), or that it is kept;
 * with Keep / Let it be archived for those who may manage the run.
 */
export function KeepRun({ executionId, archivesOn, keptSince, canKeep }: { executionId: string; archivesOn: string | null; keptSince: string | null; canKeep: boolean }) {
  const [message, setMessage] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  if (!archivesOn && !keptSince && !canKeep) return null;
  const toggle = (isKept: boolean) => startTransition(async () => {
    const result = await reachable(setKeptAction)(executionId, isKept);
    setMessage(result.ok ? null : result.message);
  });
  return (
    <section aria-label="Retention" className={`flex flex-wrap items-center gap-3 rounded-lg border px-4 py-2 ${archivesOn ? "border-amber-200 bg-amber-50 text-amber-900" : "border-slate-200 bg-white text-slate-700"}`}>
      <p>
        {keptSince ? `Kept from archival since ${keptSince}.` : archivesOn ? `Archives on ${archivesOn}: it then leaves the history for Archived.` : "Leaves the history when its retention period ends."}
      </p>
      {canKeep && (keptSince
        ? <Button variant="secondary" disabled={isPending} onClick={() => toggle(false)}>Let it be archived</Button>
        : <Button variant="secondary" disabled={isPending} onClick={() => toggle(true)} title="Exempt this run from archival">Keep</Button>)}
      {message && <p role="alert" className="text-rose-700">{message}</p>}
    </section>
  );
}
