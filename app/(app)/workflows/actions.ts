"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { createWorkflow, updateWorkflow } from "@/lib/workflows/manage";

export type WorkflowFormValues = { name: string; schedule: string; customSchedule: string; maxItems: string; agentId: string };
/** After a refusal, `values` hold what was typed, so the form (reset by React after an action) shows it again. */
export type WorkflowFormState = { message: string; isError: boolean; values?: WorkflowFormValues } | null;

/** Creates a workflow, or saves the edits of the one named by `workflowId`. */
export async function saveWorkflowAction(_previous: WorkflowFormState, formData: FormData): Promise<WorkflowFormState> {
  const ctx = await requireSessionContext();
  const workflowId = formData.get("workflowId");
  const customSchedule = String(formData.get("customSchedule") ?? "").trim();
  const fields = {
    name: formData.get("name"),
    schedule: customSchedule || formData.get("schedule"),
    timeZone: formData.get("timeZone") || "UTC",
    maxItems: formData.get("maxItems"),
  };
  const result = workflowId
    ? await updateWorkflow(ctx, { ...fields, workflowId })
    : await createWorkflow(ctx, { ...fields, agentId: formData.get("agentId") });
  revalidatePath("/workflows");
  if (!result.ok) {
    const typed = (key: string) => String(formData.get(key) ?? "");
    return { message: result.message, isError: true, values: { name: typed("name"), schedule: typed("schedule"), customSchedule, maxItems: typed("maxItems"), agentId: typed("agentId") } };
  }
  return { message: workflowId ? "Changes saved." : "Workflow created.", isError: false };
}

export async function setWorkflowEnabled(workflowId: string, isEnabled: boolean): Promise<{ ok: boolean; message?: string }> {
  const ctx = await requireSessionContext();
  const result = await updateWorkflow(ctx, { workflowId, isEnabled });
  revalidatePath("/workflows");
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}
