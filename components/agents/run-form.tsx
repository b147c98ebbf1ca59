"use client";

import { useMemo, useState, useTransition } from "react";
import { estimateRun, startRun } from "@/app/(app)/agents/[agentId]/actions";
import { Button } from "@/components/ui/button";
import { formatCredits } from "@/components/ui/format";
import type { AgentId, CostModel } from "@/lib/agents/catalog";
import type { AnySettings } from "@/lib/agents/registry";
import type { Estimate } from "@/lib/executions/start";
import { reachable } from "@/lib/http/reachable-action";
import type { Answer } from "@/lib/outcome";
import { hasItemScope, optionFields } from "./option-fields";

type Props = {
  agentId: AgentId;
  cost: CostModel;
  initialSettings: AnySettings;
  rerunOf?: string;
  collections: string[];
  balance: number;
};

const inputClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 invalid:border-rose-400";

export function RunForm({ agentId, cost, initialSettings, rerunOf, collections, balance }: Props) {
  const [settings, setSettings] = useState<AnySettings>(initialSettings);
  const [estimate, setEstimate] = useState<Answer<Estimate> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  const requestId = useMemo(() => crypto.randomUUID(), []);
  const scope = settings.scope;

  function update(next: AnySettings) {
    setSettings(next);
    setEstimate(null);
    setError(null);
  }

  function checkCost(form: HTMLFormElement) {
    if (!form.reportValidity()) return;
    startTransition(async () => {
      const answer = await reachable(estimateRun)({ agentId, settings, rerunOf });
      setEstimate(answer.ok ? { ok: true, ...answer.estimate } : answer);
    });
  }

  function confirm() {
    startTransition(async () => {
      const result = await reachable(startRun)({ agentId, settings, rerunOf, requestId });
      if (result && !result.ok) setError(result.message);
    });
  }

  return (
    <form
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-5"
      onSubmit={(event) => {
        event.preventDefault();
        checkCost(event.currentTarget);
      }}
    >
      {hasItemScope(agentId) && (
        <fieldset className="space-y-3">
          <legend className="font-medium">Scope</legend>
          <div className="flex flex-wrap gap-4">
            <label className="flex items-center gap-2">
              <input type="radio" name="mode" checked={scope.mode === "all"} onChange={() => update({ ...settings, scope: { mode: "all", maxItems: scope.maxItems } })} />
              All items
            </label>
            {agentId !== "performance-audit" && (
              <label className="flex items-center gap-2">
                <input type="radio" name="mode" checked={scope.mode === "collection"} onChange={() => update({ ...settings, scope: { mode: "collection", collection: collections[0], maxItems: scope.maxItems } })} />
                One collection
              </label>
            )}
            {scope.mode === "items" && (
              <label className="flex items-center gap-2">
                <input type="radio" name="mode" checked readOnly />
                {scope.itemIds?.length ?? 0} chosen items
              </label>
            )}
          </div>
          {scope.mode === "collection" && (
            <label className="flex flex-wrap items-center gap-3">
              <span className="w-32 shrink-0 text-slate-600 sm:w-48">Collection</span>
              <select className={inputClass} value={scope.collection} onChange={(e) => update({ ...settings, scope: { ...scope, collection: e.target.value } })}>
                {collections.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
          )}
          <label className="flex flex-wrap items-center gap-3">
            <span className="w-32 shrink-0 text-slate-600 sm:w-48">At most</span>
            <input type="number" required min={1} max={10000} className={`${inputClass} w-28`} value={scope.maxItems}
              onChange={(e) => update({ ...settings, scope: { ...scope, maxItems: Number(e.target.value) } })} />
            <span className="text-slate-500">items</span>
          </label>
        </fieldset>
      )}

      <fieldset className="space-y-3">
        <legend className="font-medium">Options</legend>
        {optionFields[agentId].map((field) => (
          <label key={field.name} className="flex items-center gap-3">
            {field.kind === "boolean" ? (
              <>
                <input type="checkbox" checked={Boolean(settings[field.name])} onChange={(e) => update({ ...settings, [field.name]: e.target.checked })} />
                <span>{field.label}</span>
              </>
            ) : (
              <>
                <span className="w-32 shrink-0 text-slate-600 sm:w-48">{field.label}</span>
                {field.kind === "number" ? (
                  <input type="number" required min={field.min} max={field.max} className={`${inputClass} w-28`} value={Number(settings[field.name] ?? field.min)}
                    onChange={(e) => update({ ...settings, [field.name]: Number(e.target.value) })} />
                ) : (
                  <select className={inputClass} value={String(settings[field.name])}
                    onChange={(e) => update({ ...settings, [field.name]: field.isNumber ? Number(e.target.value) : e.target.value })}>
                    {field.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                  </select>
                )}
              </>
            )}
          </label>
        ))}
      </fieldset>

      <p className="text-xs text-slate-500">
        Costs {cost.base} credits per run + {cost.perItem} per {agentId === "analytics-review" ? "day" : "item"}. The estimate is reserved when the run starts; what it does not use is refunded.
      </p>

      {estimate && !estimate.ok && <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-rose-700">{estimate.message}</p>}
      {error && <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-rose-700">{error}</p>}

      {estimate?.ok ? (
        <div className="flex items-center justify-between gap-4 rounded-md bg-indigo-50 px-4 py-3" data-testid="estimate">
          <p>
            {estimate.itemCount} {agentId === "analytics-review" ? "days" : "items"} · <strong>{formatCredits(estimate.credits)} credits</strong> reserved
            <span className="text-slate-500"> (balance {formatCredits(balance)})</span>
          </p>
          <Button type="button" onClick={confirm} disabled={isPending}>{isPending ? "Starting…" : "Run agent"}</Button>
        </div>
      ) : (
        <Button type="submit" disabled={isPending}>{isPending ? "Checking…" : "Check cost"}</Button>
      )}
    </form>
  );
}
