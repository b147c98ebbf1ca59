import { inSentence } from "@/components/ui/format";
import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { agentCatalog } from "@/lib/agents/catalog";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Agents" };

const kindLabels = {
  recommendations: "Recommendations",
  report: "Report",
  generated_content: "Generated content",
  scores: "Scores and metrics",
  action_items: "Action items",
} as const;

export default function AgentsPage() {
  return (
    <div className="space-y-4">
      <PageHeader title="Agents">What each agent does, what it gives back and what it costs.</PageHeader>
      <div className="grid gap-4 md:grid-cols-2">
        {Object.values(agentCatalog).map((agent) => (
          <section key={agent.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex items-baseline justify-between">
              <h2 className="font-semibold">{agent.name}</h2>
              <span className="text-xs text-slate-500">v{agent.version}</span>
            </div>
            <p className="mt-1 text-slate-600">{agent.description}</p>
            <p className="mt-3 text-xs text-slate-500">
              Returns {agent.resultKinds.map((kind) => kindLabels[kind]).join(", ").toLowerCase()}.
            </p>
            <p className="mt-1 text-xs text-slate-500">
              Costs {agent.cost.base} credits per run + {agent.cost.perItem} per {agent.itemType === "day" ? "day reviewed" : "item"}.
            </p>
            <Link href={`/agents/${agent.id}`} className={buttonClass("primary", "mt-3")}>Run {inSentence(agent.name)}</Link>
          </section>
        ))}
      </div>
    </div>
  );
}
