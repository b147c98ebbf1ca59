"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { cancelExecutions } from "@/lib/executions/bulk-cancel";
import { deleteExecutions } from "@/lib/executions/delete";

export type BulkResult = { ok: boolean; message: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Deletes one or several executions (the row menu and the bulk bar). */
export async function deleteExecutionsAction(ids: string[]): Promise<BulkResult> {
  const ctx = await requireSessionContext();
  const result = await deleteExecutions(ctx, ids);
  revalidatePath("/executions");
  if (!result.ok) return { ok: false, message: result.message };
  const { deleted, alreadyGone } = result;
  if (deleted.length === 0) return { ok: true, message: alreadyGone.length === 1 ? "That execution was already deleted." : "Those executions were already deleted." };
  return { ok: true, message: `Deleted ${plural(deleted.length, "execution")}.${alreadyGone.length ? ` ${alreadyGone.length} ${alreadyGone.length === 1 ? "was" : "were"} already deleted.` : ""}` };
}

/** Asks the selected running or queued executions to stop. */
export async function cancelExecutionsAction(ids: string[]): Promise<BulkResult> {
  const ctx = await requireSessionContext();
  const result = await cancelExecutions(ctx, ids);
  revalidatePath("/", "layout");
  if (!result.ok) return { ok: false, message: result.message };
  const parts = [
    result.canceled ? `${plural(result.canceled, "run")} canceled` : null,
    result.canceling ? `${plural(result.canceling, "run")} stopping after the current batch` : null,
    result.skipped.length ? `${plural(result.skipped.length, "run")} skipped (${result.skipped[0]!.reason})` : null,
  ].filter(Boolean);
  return { ok: true, message: `${parts.join("; ")}.` };
}
