import type { Ctx } from "@/lib/auth/context";
import { startBulkAction } from "@/lib/executions/bulk-by-filter";
import { events, isInngestConfigured } from "./client";
import { dispatchEvent } from "./dispatch";

/**
 * A person confirms a bulk action: the job is recorded, then handed to the background. With
 * Inngest the event is sent before answering; in-process the job runs in this process after
 * the answer, while the page shows its progress (a job cut short is resumed by the scheduler).
 */
export async function startBulkAndDispatch(ctx: Ctx, input: unknown) {
  const started = await startBulkAction(ctx, input);
  if (!started.ok) return started;
  const sending = dispatchEvent({ name: events.bulkJobRequested.name, data: { jobId: started.job.id, workspaceId: ctx.workspaceId } });
  if (isInngestConfigured()) await sending;
  else sending.catch((error) => console.error(`Bulk job ${started.job.id} stopped; the scheduler will resume it:`, error));
  return started;
}
