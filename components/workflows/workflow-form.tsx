"use client";

import { saveWorkflowAction } from "@/app/(app)/workflows/actions";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";

type Editing = { id: string; name: string; agentName: string; schedule: string; timeZone: string; maxItems: number };
type Props = {
  agents: { id: string; name: string }[];
  presets: readonly { label: string; value: string }[];
  timeZone: string;
  /** Set when editing: the agent stays, everything else can change. */
  workflow?: Editing;
};

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";

/** Creates a workflow, or edits one: name, schedule (a preset or any cron line) and scope size. */
export function WorkflowForm({ agents, presets, timeZone, workflow }: Props) {
  const { answer, action, isPending, entered } = useActionForm(saveWorkflowAction);
  const isPreset = !workflow || presets.some((p) => p.value === workflow.schedule);
  // React gives a select its default only when it mounts, and resets the form to it after the
  // action (react/react#32362), so each select is keyed on its default.
  const agentId = entered.text("agentId", agents[0]?.id);
  const schedule = entered.text("schedule", (isPreset ? workflow?.schedule : undefined) ?? presets[0]?.value);
  return (
    <form action={action} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-[10rem_1fr]">
      {workflow && <input type="hidden" name="workflowId" value={workflow.id} />}
      <label htmlFor="wf-name" className="text-slate-600">Name</label>
      <input id="wf-name" name="name" required maxLength={120} className={field} placeholder="Weekly SEO audit" defaultValue={entered.text("name", workflow?.name)} />
      <label htmlFor="wf-agent" className="text-slate-600">Agent</label>
      {workflow ? (
        <p id="wf-agent" className="py-1.5">{workflow.agentName}</p>
      ) : (
        <select id="wf-agent" name="agentId" key={agentId} className={field} defaultValue={agentId}>
          {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select>
      )}
      <label htmlFor="wf-schedule" className="text-slate-600">Schedule</label>
      <div className="flex flex-wrap items-center gap-2">
        <select id="wf-schedule" name="schedule" key={schedule} className={field} defaultValue={schedule}>
          {presets.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
        </select>
        <span className="text-slate-500">or cron</span>
        <input name="customSchedule" aria-label="Custom cron schedule" placeholder="0 6 * * 1" defaultValue={entered.text("customSchedule", isPreset ? "" : workflow?.schedule)} className={`${field} w-36 font-mono`} />
        <span className="text-xs text-slate-500">in {workflow?.timeZone ?? timeZone}</span>
        <input type="hidden" name="timeZone" value={workflow?.timeZone ?? timeZone} />
      </div>
      <label htmlFor="wf-max" className="text-slate-600">At most</label>
      <div className="flex items-center gap-2">
        <input id="wf-max" name="maxItems" type="number" required min={1} max={10000} defaultValue={entered.text("maxItems", workflow?.maxItems ?? 50)} className={`${field} w-28`} />
        <span className="text-slate-500">items per run (days, for the analytics review)</span>
      </div>
      <div />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={isPending}>{workflow ? "Save changes" : "Create workflow"}</Button>
        {answer && (answer.ok ? <p role="status" className="text-emerald-700">{answer.isNew ? "Workflow created." : "Changes saved."}</p> : <p role="alert" className="text-rose-700">{answer.message}</p>)}
      </div>
    </form>
  );
}
