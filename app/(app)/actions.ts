"use server";

import { chooseWorkspace } from "@/lib/auth/session";
import { action, plainFormArgs } from "@/lib/http/action";

/** Makes another of the person's workspaces the current one (an unknown one changes nothing). */
export const switchWorkspace = action({
  access: "member",
  input: plainFormArgs,
  run: async (ctx, form: FormData) => chooseWorkspace(ctx, { workspaceId: form.get("workspaceId") }),
  cookie: (chosen) => chosen.cookie,
  redirect: () => "/executions",
});
