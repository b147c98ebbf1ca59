import { route } from "@/lib/http/route";
import { getInboxSummary, inboxQuery } from "@/lib/notifications/inbox";
import { describeInvalidInput, failure } from "@/lib/outcome";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/notifications?limit=8`: the bell's unread count and newest notices. Session cookie auth. */
export const GET = route({ access: "member", signInTo: "read notifications" }, async ({ caller, request }) => {
  const parsed = inboxQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const inbox = await getInboxSummary(caller, parsed.data.limit);
  return Response.json(
    { unread: inbox.unread, notifications: inbox.latest.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
