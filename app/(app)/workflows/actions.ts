"use server";

import { action, formArgs } from "@/lib/http/action";
import { createWorkflow, updateWorkflow } from "@/lib/workflows/manage";

/** Creates a workflow, or saves the edits of the one named by `workflowId`. */
export const saveWorkflowAction = action({
  access: "member",
  input: formArgs,
  run: async (ctx, _previous: unknown, form: FormData) => {
    const workflowId = form.get("workflowId");
    const customSchedule = String(form.get("customSchedule") ?? "").trim();
    const fields = { name: form.get("name"), schedule: customSchedule || form.get("schedule"), timeZone: form.get("timeZone") || "UTC", maxItems: form.get("maxItems") };
    const saved = workflowId ? await updateWorkflow(ctx, { ...fields, workflowId }) : await createWorkflow(ctx, { ...fields, agentId: form.get("agentId"), submissionId: form.get("submissionId") });
    return saved.ok ? { ok: true as const, isNew: !workflowId } : saved;
  },
  revalidate: ["/workflows"],
});

export const setWorkflowEnabled = action({
  access: "member",
  run: (ctx, workflowId: string, isEnabled: boolean) => updateWorkflow(ctx, { workflowId, isEnabled }),
  revalidate: ["/workflows"],
});
