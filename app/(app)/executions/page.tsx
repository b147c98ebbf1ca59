import type { Metadata } from "next";
import { ExecutionsTable } from "@/components/executions/executions-table";
import { requireSessionContext } from "@/lib/auth/session";
import { listRecentExecutions } from "@/lib/executions/queries";

export const metadata: Metadata = { title: "Past executions" };

export default async function ExecutionsPage() {
  const ctx = await requireSessionContext();
  const rows = await listRecentExecutions(ctx, 50);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Past executions</h1>
        <p className="text-slate-500">
          {ctx.role === "admin"
            ? "Every agent run in this workspace, newest first."
            : "Runs you started, runs shared with you and runs of your workflows, newest first."}
        </p>
      </div>
      <ExecutionsTable rows={rows} emptyText="No executions yet. Run an agent and it will appear here." />
    </div>
  );
}
