import { inSentence } from "@/components/ui/format";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunForm } from "@/components/agents/run-form";
import { agentCatalog, isAgentId } from "@/lib/agents/catalog";
import { getAgent } from "@/lib/agents/registry";
import { requireSessionContext } from "@/lib/auth/session";
import { prefillFromExecution, type RerunMode } from "@/lib/executions/rerun";
import { getBalance } from "@/lib/credits/balance";
import { listCollections } from "@/lib/platforms/collections";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Run agent" };

type Props = { params: Promise<{ agentId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default pageReadingAddress(async function RunAgentPage({ params, searchParams }: Props) {
  const [{ agentId }, query] = await Promise.all([params, searchParams]);
  if (!isAgentId(agentId)) notFound();
  const ctx = await requireSessionContext();
  const from = typeof query.from === "string" ? query.from : undefined;
  const mode: RerunMode = query.scope === "smaller" ? "smaller" : query.scope === "failed" ? "failed-items" : "same";
  const prefill = from ? await prefillFromExecution(ctx, from, mode) : null;
  if (from && (!prefill || prefill.agentId !== agentId)) notFound();
  const [collections, balance] = await Promise.all([listCollections(ctx.workspaceId), getBalance(ctx.workspaceId)]);
  const info = agentCatalog[agentId];
  return (
    <div className="max-w-2xl space-y-4">
      <div>
        <Link href="/agents" className="text-slate-500 hover:text-slate-800">← Agents</Link>
        <h1 className="mt-2 text-xl font-semibold tracking-tight">{prefill ? `Run ${inSentence(info.name)} again` : `Run ${inSentence(info.name)}`}</h1>
        <p className="text-slate-500">{info.description}</p>
        {prefill && (
          <p className="mt-1 text-slate-600">
            Settings from <Link className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900" href={`/executions/${prefill.rerunOf}`}>the earlier run</Link>
            {mode === "smaller" ? ", with the scope halved" : mode === "failed-items" ? ", limited to the items that failed" : ""}. Adjust them if you need to.
          </p>
        )}
      </div>
      <RunForm
        agentId={agentId}
        cost={info.cost}
        initialSettings={prefill?.settings ?? getAgent(agentId).defaultSettings}
        rerunOf={prefill?.rerunOf}
        collections={collections}
        balance={balance}
      />
    </div>
  );
});
