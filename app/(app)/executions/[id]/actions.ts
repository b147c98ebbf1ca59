"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireSessionContext } from "@/lib/auth/session";
import { requestCancel } from "@/lib/executions/cancel";
import { setActionItemDone } from "@/lib/results/action-items";
import { saveEditedText } from "@/lib/results/generated";

export async function cancelRun(executionId: string): Promise<{ ok: boolean; message?: string }> {
  const ctx = await requireSessionContext();
  const result = await requestCancel(ctx, executionId);
  revalidatePath("/", "layout");
  return result.ok ? { ok: true } : { ok: false, message: result.message };
}

export type EditTextState = { message: string; isError: boolean } | null;

const editTextForm = z.object({ recommendationId: z.string(), text: z.string({ error: "Write the text to save." }) });

/** Saves a person's rewrite of a generated text; the rules on the text live in lib/results/generated.ts. */
export async function saveEditedTextAction(_previous: EditTextState, formData: FormData): Promise<EditTextState> {
  const ctx = await requireSessionContext();
  const parsed = editTextForm.safeParse({ recommendationId: formData.get("recommendationId"), text: formData.get("text") });
  if (!parsed.success) return { message: parsed.error.issues[0]!.message, isError: true };
  const result = await saveEditedText(ctx, parsed.data.recommendationId, parsed.data.text);
  if (!result.ok) return { message: result.message, isError: true };
  revalidatePath(`/executions/${result.executionId}`);
  return { message: "Saved. This text is what applies.", isError: false };
}

const actionItemInput = z.object({ itemId: z.string(), isDone: z.boolean({ error: "Say whether the item is done." }) });

export async function setActionItemDoneAction(itemId: string, isDone: boolean): Promise<{ ok: boolean; message?: string }> {
  const ctx = await requireSessionContext();
  const parsed = actionItemInput.safeParse({ itemId, isDone });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  const result = await setActionItemDone(ctx, parsed.data.itemId, parsed.data.isDone);
  if (!result.ok) return { ok: false, message: result.message };
  revalidatePath(`/executions/${result.executionId}`);
  return { ok: true };
}
