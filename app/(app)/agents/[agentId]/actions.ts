"use server";

import { events } from "@/inngest/client";
import { dispatchEvent } from "@/inngest/dispatch";
import { action } from "@/lib/http/action";
import { failExecution } from "@/lib/executions/engine";
import { estimateExecution, startExecution } from "@/lib/executions/start";

export const estimateRun = action({
  access: "member",
  run: (ctx, input: unknown) => estimateExecution(ctx, input),
});

export const startRun = action({
  access: "member",
  run: async (ctx, input: unknown) => {
    const started = await startExecution(ctx, input);
    if (started.ok && !started.isRepeat) {
      try {
        await dispatchEvent({ name: events.executionQueued.name, data: { executionId: started.executionId, workspaceId: ctx.workspaceId } });
      } catch (error) {
        await failExecution(started.executionId, "internal", `The run could not be queued: ${error instanceof Error ? error.message : String(error)}`, null);
      }
    }
    return started;
  },
  // The balance in the header changed with the reservation.
  revalidate: [{ layout: "/" }],
  redirect: (started) => (started.ok ? `/executions/${started.executionId}` : undefined),
});
