import type { Metadata } from "next";
import Link from "next/link";
import { formatCredits } from "@/components/ui/format";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import { agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { getBalance, listRecentLedger } from "@/lib/credits/balance";

export const metadata: Metadata = { title: "Credits" };

const kindLabels = { grant: "Grant", reserve: "Reserved", refund: "Refund", adjustment: "Adjustment" } as const;

export default async function CreditsPage() {
  const ctx = await requireSessionContext();
  const [balance, ledger] = await Promise.all([getBalance(ctx.workspaceId), listRecentLedger(ctx, 100)]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Credits</h1>
        <p className="text-slate-500">
          Workspace balance: <span className="font-semibold tabular-nums text-slate-900">{formatCredits(balance)}</span> credits.{" "}
          {ctx.role === "admin" ? "Every credit movement in the workspace, newest first." : "Your own credit movements, newest first."}
        </p>
      </div>
      <Table columns={[{ label: "When" }, { label: "Movement" }, { label: "Agent" }, { label: "Member" }, { label: "Amount", align: "right" }, { label: "Balance after", align: "right" }]}>
        {ledger.map((entry) => (
          <tr key={entry.id} data-testid="ledger-row">
            <td className="px-3 py-1.5"><LocalTime iso={entry.at.toISOString()} /></td>
            <td className="px-3 py-1.5">
              {kindLabels[entry.kind]}
              {entry.executionId && (
                <Link href={`/executions/${entry.executionId}`} className="ml-2 text-xs text-indigo-700 hover:underline">execution</Link>
              )}
            </td>
            <td className="px-3 py-1.5">{entry.agentId ? agentName(entry.agentId) : "—"}</td>
            <td className="px-3 py-1.5">{entry.userName ?? "—"}</td>
            <td className={`px-3 py-1.5 text-right tabular-nums ${entry.amount < 0 ? "text-rose-700" : "text-emerald-700"}`}>
              {entry.amount > 0 ? "+" : ""}{formatCredits(entry.amount)}
            </td>
            <td className="px-3 py-1.5 text-right tabular-nums">{ctx.role === "admin" ? formatCredits(entry.balanceAfter) : "—"}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
