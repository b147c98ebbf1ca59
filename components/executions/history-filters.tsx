"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useState, useTransition } from "react";
import { announceNavigation } from "@/components/shell/navigation-progress";
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
  // "Custom dates" shows the date fields at once but filters only once a date is picked.
  const [isCustomOpen, setIsCustomOpen] = useState(false);
  const [dateProblem, setDateProblem] = useState<string | null>(null);
  const apply = (next: ListFilter) =>
    startTransition(() => {
      setShown(next);
      announceNavigation();
      router.push(`${basePath}${listQueryString(next)}`);
    });
  const applyDates = (next: ListFilter) => {
    if (next.from && next.to && next.from > next.to) return setDateProblem("The start date is after the end date; pick an end date on or after it.");
    setDateProblem(null);
    apply(next);
  };
  const rangeValue = shown.range ?? (shown.from || shown.to || isCustomOpen ? "custom" : "");

  return (
    <form role="search" aria-label="Filter executions" aria-busy={isPending} className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" onSubmit={(e) => e.preventDefault()}>
      <label className="flex min-w-0 grow basis-full flex-col gap-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-600">Search</span>
        <input
          key={shown.q ?? ""}
          type="search"
          name="q"
          defaultValue={shown.q ?? ""}
          placeholder="Words in results, logs, items and errors, or an execution ID — press Enter"
          className={field}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            apply({ ...shown, q: e.currentTarget.value.trim() || null });
          }}
        />
      </label>
      <fieldset className="min-w-0">
        <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600">Agent</legend>
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
        <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-600">Status</legend>
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
        <span className="text-xs font-medium uppercase tracking-wide text-slate-600">Outcome</span>
        <select className={field} value={shown.outcome ?? ""} onChange={(e) => apply({ ...shown, outcome: (e.target.value || null) as ListFilter["outcome"] })}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-600">Date</span>
        <select
          className={field}
          value={rangeValue}
          onChange={(e) => {
            const value = e.target.value;
            setDateProblem(null);
            setIsCustomOpen(value === "custom");
            if (value !== "custom") apply({ ...shown, range: (value || null) as RangePreset | null, from: null, to: null });
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
            <span className="text-xs font-medium uppercase tracking-wide text-slate-600">From</span>
            <input type="date" className={field} value={shown.from ?? ""} max={shown.to ?? undefined} aria-invalid={dateProblem !== null} aria-describedby={dateProblem ? "date-problem" : undefined} onChange={(e) => applyDates({ ...shown, range: null, from: e.target.value || null })} />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs font-medium uppercase tracking-wide text-slate-600">To</span>
            <input type="date" className={field} value={shown.to ?? ""} min={shown.from ?? undefined} aria-invalid={dateProblem !== null} aria-describedby={dateProblem ? "date-problem" : undefined} onChange={(e) => applyDates({ ...shown, range: null, to: e.target.value || null })} />
          </label>
          {!shown.from && !shown.to && !dateProblem && <p className="pb-1.5 text-slate-600">Pick a start or end date (UTC days, both included).</p>}
          {dateProblem && <p id="date-problem" role="alert" className="pb-1.5 text-rose-700">{dateProblem}</p>}
        </>
      )}
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium uppercase tracking-wide text-slate-600">Find by ID</span>
        <input
          key={shown.id ?? ""}
          type="search"
          name="id"
          defaultValue={shown.id ?? ""}
          placeholder="ID or first 8 characters"
          spellCheck={false}
          className={`${field} w-56 font-mono text-xs`}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            const value = e.currentTarget.value.trim().toLowerCase();
            apply({ ...shown, id: value || null });
          }}
        />
      </label>
      {isFiltered(shown) && <button type="button" className="py-1.5 text-indigo-700 underline underline-offset-2 hover:text-indigo-900" onClick={() => { setIsCustomOpen(false); apply({ ...emptyFilter, sort: shown.sort }); }}>Clear all</button>}
    </form>
  );
}
