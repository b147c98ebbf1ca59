"use client";

import { saveNotificationPreferencesAction } from "@/app/(app)/settings/notifications/actions";
import { Button } from "@/components/ui/button";
import { useActionForm, type Entered } from "@/components/ui/use-action-form";
import type { NotificationPreferences } from "@/lib/notifications/settings";

function Switch({ name, label, hint, isOn, entered }: { name: string; label: string; hint: string; isOn: boolean; entered: Entered }) {
  return (
    <label className="flex items-start gap-3">
      <input type="checkbox" name={name} defaultChecked={entered.isChecked(name, isOn)} className="mt-1 size-4 accent-indigo-600" />
      <span>
        <span className="font-medium">{label}</span>
        <span className="block text-slate-500">{hint}</span>
      </span>
    </label>
  );
}

export function NotificationSettingsForm({ preferences, isAdmin }: { preferences: NotificationPreferences; isAdmin: boolean }) {
  const { answer, action, isPending, entered } = useActionForm(saveNotificationPreferencesAction);
  return (
    <form action={action} className="space-y-5 rounded-lg border border-slate-200 bg-white p-5">
      <fieldset className="space-y-2">
        <Switch name="isCompletionEnabled" label="Completion of long runs" hint="When a run of yours (or of your workflows) finishes after running a while." isOn={preferences.isCompletionEnabled} entered={entered} />
        <label className="ml-7 flex items-center gap-2 text-slate-600">
          Runs longer than
          <input name="completionMinMinutes" type="number" min={0} max={1440} step={1} required defaultValue={entered.text("completionMinMinutes", preferences.completionMinMinutes)} aria-label="Minutes" className="w-20 rounded-md border border-slate-300 px-2 py-1" />
          minutes
        </label>
      </fieldset>
      <Switch name="isFailureEnabled" label="Failure alerts" hint="At once when a run of yours or of your workflows fails, with a link to its troubleshooting." isOn={preferences.isFailureEnabled} entered={entered} />
      {isAdmin && (
        <Switch name="isWorkspaceFailureEnabled" label="Failures of everyone's runs" hint="As an admin, also when other members' runs fail." isOn={preferences.isWorkspaceFailureEnabled} entered={entered} />
      )}
      <fieldset className="space-y-2">
        <Switch name="isCreditThresholdEnabled" label="Credit threshold" hint="When one execution uses more credits than this." isOn={preferences.isCreditThresholdEnabled} entered={entered} />
        <label className="ml-7 flex items-center gap-2 text-slate-600">
          More than
          <input name="creditThreshold" type="number" min={1} step={1} required defaultValue={entered.text("creditThreshold", preferences.creditThreshold)} aria-label="Credits" className="w-28 rounded-md border border-slate-300 px-2 py-1" />
          credits
        </label>
      </fieldset>
      <Switch name="isWeeklySummaryEnabled" label="Weekly summary email" hint="Mondays at 08:00 in your time zone: runs, failures, credits and recommendations awaiting approval." isOn={preferences.isWeeklySummaryEnabled} entered={entered} />
      <Switch name="isEmailEnabled" label="Also by email" hint="Send these by email too, not only under the bell." isOn={preferences.isEmailEnabled} entered={entered} />
      {answer && (answer.ok ? <p role="status" className="text-emerald-700">Saved.</p> : <p role="alert" className="text-rose-700">{answer.message}</p>)}
      <Button type="submit" disabled={isPending}>Save</Button>
    </form>
  );
}
