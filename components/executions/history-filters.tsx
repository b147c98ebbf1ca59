"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import type { AgentId } from "@/lib/agents/catalog";
import { emptyFilter, isFiltered, listQueryString, rangePresets, statuses, type ListFilter, type RangePreset } from "@/lib/executions/list-filter";

type Props = { filter: ListFilter; agents: { id: AgentId; name: string }[]; basePath: string };

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5";
const statusLabels: Record<(typeof statuses)[number], string> = {
  queued: "Queued", running: "Running", completed: "Completed", failed: "Failed", canceled: "Canceled", partial: "Partial",
};

function toggle<T>(list: T[], value: T, isOn: boolean): T[] {
  return isOn ? [...list, value] : list.filter((v) => v !== value);
}

/** Filters that live in the URL: every change is a navigation, so back, reload and sharing keep it. */
export function HistoryFilters({ filter, agents, basePath }: Props) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const [shown, setShown] = useOptimistic(filter);
  const apply = (next: ListFilter) =>
    startTransition(() => {
      setShown(next);
      router.push(`${basePath}${listQueryString(next)}`);
    });
  const rangeValue = shown.range ?? (shown.from || shown.to ? "custom" : "");

  return (
    <form role="search" aria-label="Filter executions" aria-busy={isPending} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="min-w-0">
        <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Agent</legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {agents.map((agent) => (
            <label key={agent.id} className="inline-flex items-center gap-1.5">
              <input type="checkbox" checked={shown.agents.includes(agent.id)} onChange={(e) => apply({ ...shown, agents: toggle(shown.agents, agent.id, e.target.checked) })} />
              {agent.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="min-w-0">
        <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">Status</legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {statuses.map((status) => (
            <label key={status} className="inline-flex items-center gap-1.5">
              <input type="checkbox" checked={shown.statuses.includes(status)} onChange={(e) => apply({ ...shown, statuses: toggle(shown.statuses, status, e.target.checked) })} />
              {statusLabels[status]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">Outcome</span>
        <select className={field} value={shown.outcome ?? ""} onChange={(e) => apply({ ...shown, outcome: (e.target.value || null) as ListFilter["outcome"] })}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-500">Date</span>
        <select
          className={field}
          value={rangeValue}
          onChange={(e) => {
            const value = e.target.value;
            if (value === "custom") setShownCustom();
            else apply({ ...shown, range: (value || null) as RangePreset | null, from: null, to: null });
          }}
        >
          <option value="">Any time</option>
          {Object.entries(rangePresets).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          <option value="custom">Custom dates</option>
        </select>
      </label>
      {rangeValue === "custom" && (
        <>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium uppercase tracking-wide text-slate-500">From</span>
            <input type="date" className={field} value={shown.from ?? ""} max={shown.to ?? undefined} onChange={(e) => apply({ ...shown, range: null, from: e.target.value || null })} />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium uppercase tracking-wide text-slate-500">To</span>
            <input type="date" className={field} value={shown.to ?? ""} min={shown.from ?? undefined} onChange={(e) => apply({ ...shown, range: null, to: e.target.value || null })} />
          </label>
        </>
      )}
      {isFiltered(shown) && <button type="button" className="py-1.5 text-indigo-700 hover:underline" onClick={() => apply(emptyFilter)}>Clear all</button>}
    </form>
  );

  /** Custom dates start as today's, so the choice shows at once and can be narrowed. */
  function setShownCustom() {
    const today = new Date().toISOString().slice(0, 10);
    apply({ ...shown, range: null, from: today, to: today });
  }
}
