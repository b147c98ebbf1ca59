import { getSessionContext } from "@/lib/auth/session";
import { getVisibleExecution } from "@/lib/executions/queries";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/** Live progress of one execution, polled by its detail page while it runs. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to see this execution."));
  const execution = await getVisibleExecution(ctx, (await params).id);
  if (!execution) return failureResponse(failure("not_found", "Execution not found."));
  const { status, itemsTotal, itemsProcessed, itemsFailed, preview, cancelRequestedAt } = execution;
  return Response.json({ status, itemsTotal, itemsProcessed, itemsFailed, preview, isCanceling: cancelRequestedAt !== null });
}
