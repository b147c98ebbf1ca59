import { z } from "zod";
import { getSessionContext } from "@/lib/auth/session";
import { describeInvalidInput, failureResponse } from "@/lib/http/failure-response";
import { getInboxSummary } from "@/lib/notifications/inbox";
import { failure } from "@/lib/outcome";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(50).default(8) });

/** `GET /api/notifications?limit=8`: the bell's unread count and newest notices. Session cookie auth. */
export async function GET(request: Request) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to read notifications."));
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return failureResponse(failure("invalid_input", describeInvalidInput(parsed.error)));
  const inbox = await getInboxSummary(ctx, parsed.data.limit);
  return Response.json(
    { unread: inbox.unread, notifications: inbox.latest.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
