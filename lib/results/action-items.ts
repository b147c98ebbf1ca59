import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { actionItems, executions } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";
import { recordAudit } from "@/lib/audit/record";

const notFound = () => failure("not_found", "This action item was not found; it may have been deleted with its execution.");

export type ActionItemState = { executionId: string; isDone: boolean; doneBy: string | null; doneAt: Date | null };

/**
 * Ticks an action item done, or opens it again, recording who and when (the audit log keeps
 * both directions). Anyone who can see the execution may do it: an action item is follow-up
 * work for whoever picks it up, and ticking it changes nothing in the store or in the run's
 * results. An id this person cannot see answers the same as one that does not exist; asking
 * for the state it is already in changes nothing and keeps who ticked it first.
 */
export async function setActionItemDone(ctx: Ctx, itemId: unknown, isDone: unknown): Promise<Outcome<ActionItemState>> {
  const id = z.uuid().safeParse(itemId);
  if (!id.success) return notFound();
  const done = z.boolean({ error: "Say whether the action item is done (true or false)." }).safeParse(isDone);
  if (!done.success) return failure("invalid_input", done.error.issues[0]!.message);

  const db = await getDb();
  const [item] = await db
    .select({ id: actionItems.id, executionId: actionItems.executionId, title: actionItems.title })
    .from(actionItems)
    .innerJoin(executions, eq(executions.id, actionItems.executionId))
    .where(and(eq(actionItems.id, id.data), visibleExecutions(ctx)))
    .limit(1);
  if (!item) return notFound();

  return db.transaction(async (tx) => {
    const state = { isDone: actionItems.isDone, doneBy: actionItems.doneBy, doneAt: actionItems.doneAt };
    const [changed] = await tx
      .update(actionItems)
      .set(done.data ? { isDone: true, doneBy: ctx.userId, doneAt: sql`now()` } : { isDone: false, doneBy: null, doneAt: null })
      .where(and(eq(actionItems.id, item.id), ne(actionItems.isDone, done.data)))
      .returning(state);
    if (changed) {
      await recordAudit(tx, ctx, { action: done.data ? "action_item.done" : "action_item.reopened", target: item.id, data: { executionId: item.executionId, title: item.title } });
      return { ok: true as const, executionId: item.executionId, ...changed };
    }
    const [unchanged] = await tx.select(state).from(actionItems).where(eq(actionItems.id, item.id));
    if (!unchanged) return notFound();
    return { ok: true as const, executionId: item.executionId, ...unchanged };
  });
}
