"use client";

import { saveRetentionPeriodsAction } from "@/app/(app)/settings/retention/actions";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { RetentionPeriods } from "@/lib/retention/settings";

export function RetentionForm({ periods }: { periods: RetentionPeriods }) {
  const { answer, action, isPending, entered } = useActionForm(saveRetentionPeriodsAction);
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <label className="flex items-center gap-3">
        <span className="w-72 text-slate-600">Completed and partial runs, days</span>
        <input name="retentionSuccessDays" type="number" min={7} max={3650} step={1} required defaultValue={entered.text("retentionSuccessDays", periods.retentionSuccessDays)} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <label className="flex items-center gap-3">
        <span className="w-72 text-slate-600">Failed and canceled runs, days</span>
        <input name="retentionFailureDays" type="number" min={7} max={3650} step={1} required defaultValue={entered.text("retentionFailureDays", periods.retentionFailureDays)} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      {answer && (answer.ok ? <p role="status" className="text-emerald-700">Saved.</p> : <p role="alert" className="text-rose-700">{answer.message}</p>)}
      <Button type="submit" disabled={isPending}>Save</Button>
    </form>
  );
}
