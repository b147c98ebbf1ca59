import { getSessionContext } from "@/lib/auth/session";
import { failureResponse } from "@/lib/http/failure-response";
import { markNotificationRead } from "@/lib/notifications/inbox";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

/** `POST /api/notifications/:id/read`: sent as a notice's link is followed. */
export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to read notifications."));
  const result = await markNotificationRead(ctx, (await params).id);
  return result.ok ? Response.json({ ok: true }) : failureResponse(result);
}
