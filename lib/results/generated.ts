import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executions, recommendations } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { mayApply } from "@/lib/executions/permissions";
import { visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";

/**
 * Generated content (F6): new text an agent wrote, such as a product description, which a
 * person may rewrite before it is applied. The edit is kept in `recommendations.edited_value`
 * and is what applying pushes to the store (lib/results/apply.ts).
 */
export const maxGeneratedTextLength = 5000;

const editedTextSchema = z
  .string({ error: "Write the text to save." })
  .trim()
  .min(1, "The text cannot be empty: write the new text, or cancel to keep what was generated.")
  .max(maxGeneratedTextLength, `Keep the text to ${maxGeneratedTextLength.toLocaleString("en-US")} characters or fewer.`);

const notFound = () => failure("not_found", "This generated text was not found; it may have been deleted with its execution.");

/**
 * Saves a person's rewrite of one generated text. Allowed to those who may apply the
 * execution's changes (its starter, admins, members it was shared with to apply), and only
 * while the text is not on the store: an applied text must be reverted before it changes.
 * An id this person cannot see answers the same as one that does not exist.
 */
export async function saveEditedText(ctx: Ctx, recommendationId: unknown, rawText: unknown): Promise<Outcome<{ executionId: string; text: string }>> {
  const id = z.uuid().safeParse(recommendationId);
  if (!id.success) return notFound();
  const text = editedTextSchema.safeParse(rawText);
  if (!text.success) return failure("invalid_input", text.error.issues[0]!.message);

  const db = await getDb();
  const [found] = await db
    .select({ executionId: executions.id, triggeredBy: executions.triggeredBy })
    .from(recommendations)
    .innerJoin(executions, eq(executions.id, recommendations.executionId))
    .where(and(eq(recommendations.id, id.data), eq(recommendations.origin, "generated"), visibleExecutions(ctx)))
    .limit(1);
  if (!found) return notFound();
  if (!(await mayApply(ctx, { id: found.executionId, triggeredBy: found.triggeredBy }))) {
    return failure("forbidden", "Only the person who started this run, an admin, or someone it was shared with to apply can edit its generated text.");
  }

  return db.transaction(async (tx) => {
    // Locked so an edit and an apply of the same text happen one after the other.
    const [rec] = await tx.select().from(recommendations).where(eq(recommendations.id, id.data)).for("update");
    if (!rec) return notFound();
    if (rec.status === "applied") return failure("conflict", "This text is already on the store; revert it first, then edit it.");
    const current = rec.editedValue ?? rec.afterValue;
    if (text.data === current) return { ok: true as const, executionId: rec.executionId, text: current };
    // Edited back to exactly what was generated: no edit remains.
    await tx.update(recommendations).set({ editedValue: text.data === rec.afterValue ? null : text.data }).where(eq(recommendations.id, rec.id));
    await recordAudit(tx, ctx, { action: "recommendation.edited", target: rec.id, data: { executionId: rec.executionId, item: rec.itemLabel, field: rec.field, before: current, after: text.data } });
    return { ok: true as const, executionId: rec.executionId, text: text.data };
  });
}
