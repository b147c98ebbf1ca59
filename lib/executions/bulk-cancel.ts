import type { Ctx } from "@/lib/auth/context";
import type { Outcome } from "@/lib/outcome";
import { requestCancel } from "./cancel";
import { parseSelection } from "./selection";

export type SkippedCancel = { id: string; reason: string };

/**
 * Cancels a selection from the history list, each run exactly as `requestCancel` would: a
 * queued one at once with a full refund, a running one after its current batch. A run that
 * cannot be canceled (finished, not yours, not found) is skipped with the reason.
 */
export async function cancelExecutions(ctx: Ctx, rawIds: unknown): Promise<Outcome<{ canceled: number; canceling: number; skipped: SkippedCancel[] }>> {
  const selection = parseSelection(rawIds);
  if (!selection.ok) return selection;
  let canceled = 0;
  let canceling = 0;
  const skipped: SkippedCancel[] = [];
  // One at a time: each cancel is its own short transaction, and every refund locks the same workspace account.
  for (const id of selection.ids) {
    const outcome = await requestCancel(ctx, id);
    if (!outcome.ok) skipped.push({ id, reason: outcome.message });
    else if (outcome.status === "canceled") canceled++;
    else canceling++;
  }
  return { ok: true, canceled, canceling, skipped };
}
