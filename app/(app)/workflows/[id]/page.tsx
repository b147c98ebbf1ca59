import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { WorkflowForm } from "@/components/workflows/workflow-form";
import { agentName } from "@/lib/agents/catalog";
import type { AnySettings } from "@/lib/agents/registry";
import { requireSessionContext } from "@/lib/auth/session";
import { findWorkflow } from "@/lib/workflows/manage";
import { schedulePresets } from "@/lib/workflows/schedule";
import { PageHeader } from "@/components/ui/page-header";
import { pageReadingAddress } from "@/lib/http/page";

export const metadata: Metadata = { title: "Edit workflow" };

export default pageReadingAddress(async function EditWorkflowPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireSessionContext();
  const workflow = await findWorkflow(ctx, (await params).id);
  if (!workflow) notFound();
  return (
    <div className="space-y-6">
      <PageHeader back={{ href: "/workflows", label: "Workflows" }} title={`Edit “${workflow.name}”`} />
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
});
