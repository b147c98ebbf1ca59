import { route } from "@/lib/http/route";
import { markNotificationRead } from "@/lib/notifications/inbox";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `POST /api/notifications/:id/read`: sent as a notice's link is followed. */
export const POST = route<{ id: string }>({ access: "member", signInTo: "read notifications" }, async ({ caller, params }) => {
  const result = await markNotificationRead(caller, params.id);
  return result.ok ? Response.json({ ok: true }) : result;
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
