"use server";

import { action } from "@/lib/http/action";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/inbox";

export const markNotificationReadAction = action({
  access: "member",
  run: (ctx, id: string) => markNotificationRead(ctx, id),
  revalidate: ["/notifications"],
});

export const markAllNotificationsReadAction = action({
  access: "member",
  run: (ctx) => markAllNotificationsRead(ctx),
  revalidate: ["/notifications"],
});
