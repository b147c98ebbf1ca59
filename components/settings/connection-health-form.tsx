"use client";

import { updateConnectionHealth } from "@/app/(app)/settings/connection/actions";
import { Button } from "@/components/ui/button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { ConnectionHealth } from "@/db/schema";

const labels: Record<ConnectionHealth, string> = { active: "Active", lost: "Lost", rate_limited: "Rate limited", slow: "Slow" };

export function ConnectionHealthForm({ health, rateLimitPerSecond, latencyMs }: { health: ConnectionHealth; rateLimitPerSecond: number | null; latencyMs: number | null }) {
  const { answer: state, action, isPending, entered } = useActionForm(updateConnectionHealth);
  const shownHealth = entered.text("health", health);
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <label className="flex items-center gap-3">
        <span className="w-48 text-slate-600">Health</span>
        <select name="health" key={shownHealth} defaultValue={shownHealth} className="rounded-md border border-slate-300 px-2 py-1.5">
          {(Object.keys(labels) as ConnectionHealth[]).map((h) => <option key={h} value={h}>{labels[h]}</option>)}
        </select>
      </label>
      <label className="flex items-center gap-3">
        <span className="w-48 text-slate-600">Calls per second (rate limited)</span>
        <input name="rateLimitPerSecond" type="number" min={0} max={1000} defaultValue={entered.text("rateLimitPerSecond", rateLimitPerSecond)} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      <label className="flex items-center gap-3">
        <span className="w-48 text-slate-600">Delay per call, ms (slow)</span>
        <input name="latencyMs" type="number" min={0} max={60000} defaultValue={entered.text("latencyMs", latencyMs)} className="w-28 rounded-md border border-slate-300 px-2 py-1.5" />
      </label>
      {state && (state.ok ? <p role="status" className="text-emerald-700">Saved.</p> : <p role="alert" className="text-rose-700">{state.message}</p>)}
      <Button type="submit" disabled={isPending}>Save</Button>
    </form>
  );
}
