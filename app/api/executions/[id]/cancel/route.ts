import { requestCancel } from "@/lib/executions/cancel";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `POST /api/executions/:id/cancel`: stops a queued or running run (its starter or an admin); `canceling` until its current slice of items ends. */
export const POST = route<{ id: string }>({ access: "member", signInTo: "cancel executions", token: "apply" }, async ({ caller, params }) => {
  const result = await requestCancel(caller, params.id);
  return result.ok ? Response.json({ status: result.status }, { status: 202 }) : result;
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
