import type { Metadata } from "next";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState, Table } from "@/components/ui/table";
import { WorkflowForm } from "@/components/workflows/workflow-form";
import { EnabledToggle } from "@/components/workflows/enabled-toggle";
import { agentCatalog, agentName } from "@/lib/agents/catalog";
import { requireSessionContext } from "@/lib/auth/session";
import { listWorkflows } from "@/lib/workflows/manage";
import { schedulePresets } from "@/lib/workflows/schedule";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Workflows" };

export default async function WorkflowsPage() {
  const ctx = await requireSessionContext();
  const rows = await listWorkflows(ctx);
  return (
    <div className="space-y-6">
      <PageHeader title="Workflows">Agents that run on a schedule with saved settings. Their runs appear in Past executions, marked with the workflow.</PageHeader>
      {rows.length === 0 ? (
        <EmptyState>No workflows yet.</EmptyState>
      ) : (
        <Table label="Workflows" columns={[{ label: "Workflow" }, { label: "Agent" }, { label: "Schedule" }, { label: "Next run" }, { label: "Last run" }, { label: "Created by" }, { label: "Enabled" }]}>
          {rows.map((w) => (
            <tr key={w.id} data-testid="workflow-row">
              <td className="px-3 py-2 font-medium"><Link href={`/workflows/${w.id}`} className="hover:underline">{w.name}</Link></td>
              <td className="px-3 py-2">{agentName(w.agentId)}</td>
              <td className="px-3 py-2 font-mono text-xs">{w.schedule} <span className="text-slate-500">{w.timeZone}</span></td>
              <td className="px-3 py-2">{w.nextRunAt ? <LocalTime iso={w.nextRunAt.toISOString()} /> : "—"}</td>
              <td className="px-3 py-2">{w.lastRunAt ? <LocalTime iso={w.lastRunAt.toISOString()} /> : "—"}</td>
              <td className="px-3 py-2">{w.createdByName ?? "—"}</td>
              <td className="px-3 py-2"><EnabledToggle workflowId={w.id} isEnabled={w.isEnabled} name={w.name} /></td>
            </tr>
          ))}
        </Table>
      )}
      <section className="space-y-2">
        <h2 className="font-medium">New workflow</h2>
        <WorkflowForm agents={Object.values(agentCatalog).map((a) => ({ id: a.id, name: a.name }))} presets={schedulePresets} timeZone="UTC" />
      </section>
    </div>
  );
}
