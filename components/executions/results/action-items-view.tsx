"use client";

import { useState } from "react";
import { useSavedToggle } from "@/components/ui/use-saved-toggle";
import { setActionItemDoneAction } from "@/app/(app)/executions/[id]/actions";
import { LocalTime } from "@/components/ui/local-time";
import type { ActionItemRow } from "@/lib/results/queries";
import { PriorityBadge } from "./priority-badge";
import { EmptyResult } from "./result-card";

/** How many action items show before "Show all": the most important ones, so the tab stays short. */
const firstShown = 12;

/** An action-items block: the to-do list, high priority first, each ticked done by whoever did it. */
export function ActionItemsView({ items, isReadOnly = false }: { items: ActionItemRow[]; isReadOnly?: boolean }) {
  const [isAllShown, setIsAllShown] = useState(false);
  if (items.length === 0) return <EmptyResult>Nothing to do: this run raised no action items.</EmptyResult>;
  const doneCount = items.filter((i) => i.isDone).length;
  const shown = isAllShown ? items : items.slice(0, firstShown);
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">{doneCount} of {items.length} done</p>
      <ul className="grid rounded-md border border-slate-200 xl:grid-cols-2 [&>li]:border-b [&>li]:border-slate-100">
        {shown.map((item) => <ActionItemEntry key={item.id} item={item} isReadOnly={isReadOnly} />)}
      </ul>
      {items.length > shown.length && (
        <button type="button" className="text-sm text-indigo-700 underline underline-offset-2 hover:text-indigo-900" onClick={() => setIsAllShown(true)}>
          Show all {items.length} action items
        </button>
      )}
    </div>
  );
}

function ActionItemEntry({ item, isReadOnly }: { item: ActionItemRow; isReadOnly: boolean }) {
  const { shown: isDone, isPending, error, toggle } = useSavedToggle(item.isDone, (next) => setActionItemDoneAction(item.id, next));
  const checkboxId = `action-item-${item.id}`;
  return (
    <li className="flex gap-3 px-3 py-2.5">
      <input
        id={checkboxId}
        type="checkbox"
        className="mt-1 size-4 shrink-0 accent-indigo-600"
        checked={isDone}
        disabled={isPending || isReadOnly}
        onChange={(e) => toggle(e.target.checked)}
      />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={checkboxId} className={`font-medium ${isDone ? "text-slate-600 line-through" : ""}`}>{item.title}</label>
          <PriorityBadge priority={item.priority} />
        </div>
        <p className={`text-sm ${isDone ? "text-slate-600" : "text-slate-600"}`}>{item.detail}</p>
        {isDone && item.isDone && item.doneAt && (
          <p className="mt-0.5 text-xs text-slate-600">
            Done{item.doneByName ? ` by ${item.doneByName}` : ""}, <LocalTime iso={new Date(item.doneAt).toISOString()} />
          </p>
        )}
        {error && <p role="alert" className="mt-0.5 text-sm text-rose-700">{error}</p>}
      </div>
    </li>
  );
}
