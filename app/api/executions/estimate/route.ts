import { readJsonBody } from "@/lib/http/json-body";
import { route } from "@/lib/http/route";
import { estimateExecution } from "@/lib/executions/start";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `POST /api/executions/estimate`: what starting this run would cost (`{ agentId, settings }`), checked as the run form checks it. Changes nothing. */
export const POST = route({ access: "member", signInTo: "estimate a run" }, async ({ caller, request }) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read;
  const estimated = await estimateExecution(caller, read.body);
  if (!estimated.ok) return estimated;
  const { agentId, itemCount, credits, settings } = estimated.estimate;
  return Response.json({ agentId, itemCount, credits, settings });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
