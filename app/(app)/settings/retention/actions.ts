"use server";

import { action, formArgs } from "@/lib/http/action";
import { saveRetentionPeriods } from "@/lib/retention/settings";

export const saveRetentionPeriodsAction = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) =>
    saveRetentionPeriods(ctx, { retentionSuccessDays: form.get("retentionSuccessDays"), retentionFailureDays: form.get("retentionFailureDays") }),
  revalidate: ["/settings/retention"],
});
