"use client";

import { useRouter } from "next/navigation";
import { useOptimistic, useState, useTransition } from "react";
import { announceNavigation } from "@/components/shell/navigation-progress";
import type { AgentId } from "@/lib/agents/catalog";
import { emptyFilter, isFiltered, listQueryString, rangePresets, statuses, type ListFilter, type RangePreset } from "@/lib/executions/list-filter";
import { filterField as field } from "@/components/ui/filter-bar";

type Props = { filter: ListFilter; agents: { id: AgentId; name: string }[]; basePath: string };

const caption = "text-xs font-medium uppercase tracking-wide text-slate-600";
const statusLabels: Record<(typeof statuses)[number], string> = {
  queued: "Queued", running: "Running", completed: "Completed", failed: "Failed", canceled: "Canceled", partial: "Partial",
};


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
      <SearchOnEnter
        label="Search"
        name="q"
        value={shown.q}
        placeholder="Words in results, logs, items and errors, or an execution ID — press Enter"
        className="min-w-0 grow basis-full"
        onSearch={(q) => apply({ ...shown, q })}
      />
      <CheckboxGroup legend="Agent" options={agents.map((agent) => ({ value: agent.id, label: agent.name }))} checked={shown.agents} onChange={(agentIds) => apply({ ...shown, agents: agentIds })} />
      <CheckboxGroup legend="Status" options={statuses.map((status) => ({ value: status, label: statusLabels[status] }))} checked={shown.statuses} onChange={(checked) => apply({ ...shown, statuses: checked })} />
      <label className="flex flex-col gap-1">
        <span className={caption}>Outcome</span>
        <select className={field} value={shown.outcome ?? ""} onChange={(e) => apply({ ...shown, outcome: (e.target.value || null) as ListFilter["outcome"] })}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className={caption}>Date</span>
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
            <span className={caption}>From</span>
            <input type="date" className={field} value={shown.from ?? ""} max={shown.to ?? undefined} aria-invalid={dateProblem !== null} aria-describedby={dateProblem ? "date-problem" : undefined} onChange={(e) => applyDates({ ...shown, range: null, from: e.target.value || null })} />
          </label>
          <label className="flex flex-col gap-1">
            <span className={caption}>To</span>
            <input type="date" className={field} value={shown.to ?? ""} min={shown.from ?? undefined} aria-invalid={dateProblem !== null} aria-describedby={dateProblem ? "date-problem" : undefined} onChange={(e) => applyDates({ ...shown, range: null, to: e.target.value || null })} />
          </label>
          {!shown.from && !shown.to && !dateProblem && <p className="pb-1.5 text-slate-600">Pick a start or end date (UTC days, both included).</p>}
          {dateProblem && <p id="date-problem" role="alert" className="pb-1.5 text-rose-700">{dateProblem}</p>}
        </>
      )}
      <SearchOnEnter
        label="Find by ID"
        name="id"
        value={shown.id}
        placeholder="ID or first 8 characters"
        inputClassName="w-56 font-mono text-xs"
        onSearch={(id) => apply({ ...shown, id: id?.toLowerCase() ?? null })}
      />
      {isFiltered(shown) && <button type="button" className="py-1.5 text-indigo-700 underline underline-offset-2 hover:text-indigo-900" onClick={() => { setIsCustomOpen(false); apply({ ...emptyFilter, sort: shown.sort }); }}>Clear all</button>}
    </form>
  );
}

/** A text field that filters when Enter is pressed (not on every key): an empty one clears its filter. */
function SearchOnEnter({ label, name, value, placeholder, className = "", inputClassName = "", onSearch }: {
  label: string; name: string; value: string | null; placeholder: string; className?: string; inputClassName?: string; onSearch: (value: string | null) => void;
}) {
  return (
    <label className={`flex flex-col gap-1 ${className}`}>
      <span className={caption}>{label}</span>
      <input
        key={value ?? ""}
        type="search"
        name={name}
        defaultValue={value ?? ""}
        placeholder={placeholder}
        spellCheck={false}
        className={`${field} ${inputClassName}`}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          onSearch(e.currentTarget.value.trim() || null);
        }}
      />
    </label>
  );
}

/** Tick boxes of one filter; any ticked value matches. */
function CheckboxGroup<T extends string>({ legend, options, checked, onChange }: { legend: string; options: { value: T; label: string }[]; checked: T[]; onChange: (checked: T[]) => void }) {
  return (
    <fieldset className="min-w-0">
      <legend className={`mb-1 ${caption}`}>{legend}</legend>
      <div className="flex flex-wrap gap-x-3 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={checked.includes(option.value)}
              onChange={(e) => onChange(e.target.checked ? [...checked, option.value] : checked.filter((v) => v !== option.value))}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
