import { progressOf } from "@/lib/executions/progress";
import { getVisibleExecution } from "@/lib/executions/queries";
import { route } from "@/lib/http/route";
import { failure } from "@/lib/outcome";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** Live progress of one execution, polled by its detail page while it runs. */
export const GET = route<{ id: string }>({ access: "member", signInTo: "see this execution" }, async ({ caller, params }) => {
  const execution = await getVisibleExecution(caller, params.id);
  if (!execution) return failure("not_found", "Execution not found.");
  return Response.json(progressOf(execution));
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
