"use server";

import { action, formArgs } from "@/lib/http/action";
import { setConnectionHealth } from "@/lib/platforms/health";

const blankToUndefined = (value: FormDataEntryValue | null) => (value === null || value === "" ? undefined : value);

export const updateConnectionHealth = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) =>
    setConnectionHealth(ctx, {
      health: form.get("health"),
      rateLimitPerSecond: blankToUndefined(form.get("rateLimitPerSecond")),
      latencyMs: blankToUndefined(form.get("latencyMs")),
    }),
  revalidate: ["/settings/connection"],
});
