"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { createWorkflow, updateWorkflow } from "@/lib/workflows/manage";

export type WorkflowFormState = { message: string; isError: boolean } | null;

export async function createWorkflowAction(_previous: WorkflowFormState, formData: FormData): Promise<WorkflowFormState> {
  const ctx = await requireSessionContext();
  const customSchedule = String(formData.get("customSchedule") ?? "").trim();
  const result = await createWorkflow(ctx, {
    name: formData.get("name"),
    agentId: formData.get("agentId"),
    schedule: customSchedule || formData.get("schedule"),
    timeZone: formData.get("timeZone") || "UTC",
    maxItems: formData.get("maxItems"),
  });
  revalidatePath("/workflows");
  return result.ok ? { message: "Workflow created.", isError: false } : { message: result.message, isError: true };
}

export async function setWorkflowEnabled(workflowId: string, isEnabled: boolean): Promise<{ ok: boolean; message?: string }> {
  const ctx = await requireSessionContext();
  const result = await updateWorkflow(ctx, { workflowId, isEnabled });
  revalidatePath("/workflows");
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}
