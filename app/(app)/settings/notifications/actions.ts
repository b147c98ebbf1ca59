"use server";

import { action, formArgs } from "@/lib/http/action";
import { saveNotificationPreferences } from "@/lib/notifications/settings";

const switches = ["isCompletionEnabled", "isFailureEnabled", "isWeeklySummaryEnabled", "isCreditThresholdEnabled", "isWorkspaceFailureEnabled", "isEmailEnabled"] as const;

export const saveNotificationPreferencesAction = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) => {
    const raw: Record<string, unknown> = { completionMinMinutes: form.get("completionMinMinutes"), creditThreshold: form.get("creditThreshold") };
    for (const name of switches) raw[name] = form.get(name) === "on";
    return saveNotificationPreferences(ctx, raw);
  },
  revalidate: ["/settings/notifications"],
});
