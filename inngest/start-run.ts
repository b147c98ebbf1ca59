import type { Ctx } from "@/lib/auth/context";
import { failExecution } from "@/lib/executions/engine";
import { startExecution } from "@/lib/executions/start";
import { events } from "./client";
import { dispatchEvent } from "./dispatch";

/**
 * A person starts a run (the run form, or POST /api/executions): queued and reserved by
 * startExecution, then handed to the engine. A repeated request (same idempotency key) answers
 * the run the first one started and hands nothing over again.
 */
export async function startAndDispatch(ctx: Ctx, input: unknown) {
  const started = await startExecution(ctx, input);
  if (started.ok && !started.isRepeat) {
    try {
      await dispatchEvent({ name: events.executionQueued.name, data: { executionId: started.executionId, workspaceId: ctx.workspaceId } });
    } catch (error) {
      await failExecution(started.executionId, "internal", `The run could not be queued: ${error instanceof Error ? error.message : String(error)}`, null);
    }
  }
  return started;
}
