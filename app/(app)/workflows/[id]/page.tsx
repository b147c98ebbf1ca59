import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { WorkflowForm } from "@/components/workflows/workflow-form";
import { agentName } from "@/lib/agents/catalog";
import type { AnySettings } from "@/lib/agents/registry";
import { requireSessionContext } from "@/lib/auth/session";
import { findWorkflow } from "@/lib/workflows/manage";
import { schedulePresets } from "@/lib/workflows/schedule";

export const metadata: Metadata = { title: "Edit workflow" };

export default async function EditWorkflowPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireSessionContext();
  const workflow = await findWorkflow(ctx, (await params).id);
  if (!workflow) notFound();
  return (
    <div className="space-y-6">
      <div>
        <Link href="/workflows" className="text-sm text-slate-500 hover:underline">← Workflows</Link>
        <h1 className="text-xl font-semibold tracking-tight">Edit “{workflow.name}”</h1>
      </div>
      <WorkflowForm
        agents={[]}
        presets={schedulePresets}
        timeZone={workflow.timeZone}
        workflow={{
          id: workflow.id, name: workflow.name, agentName: agentName(workflow.agentId), schedule: workflow.schedule,
          timeZone: workflow.timeZone, maxItems: (workflow.settings as AnySettings).scope.maxItems,
        }}
      />
    </div>
  );
}
