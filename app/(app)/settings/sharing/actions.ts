"use server";

import { action } from "@/lib/http/action";
import { setExternalLinksAllowed } from "@/lib/shares/settings";

export const setExternalLinksAllowedAction = action({
  access: "member",
  run: (ctx, isAllowed: boolean) => setExternalLinksAllowed(ctx, isAllowed),
  revalidate: ["/settings/sharing"],
});
