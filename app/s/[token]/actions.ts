"use server";

import { cookies, headers } from "next/headers";
import { workspaceChoice } from "@/lib/auth/session";
import { action, formArgs } from "@/lib/http/action";
import { clientAddress } from "@/lib/rate-limits/client-address";
import { claimShareLink, unlockShareLink } from "@/lib/shares/links";
import { isWellFormedToken, linkAccessCookie } from "@/lib/shares/tokens";

/** The link's password: right, and a cookie scoped to the link opens it for 12 hours. */
export const unlockLinkAction = action({
  access: "public",
  input: formArgs,
  run: async (_nobody, _previous: unknown, form: FormData) => unlockShareLink(String(form.get("token") ?? ""), form.get("password"), clientAddress(await headers())),
  cookie: (unlocked) => unlocked.cookie,
  redirect: (unlocked, [, form]) => (unlocked.ok ? `/s/${String(form.get("token"))}` : undefined),
});

/** A signed-in member takes the link into Runlog, where the link's permission is theirs (after its password, when it has one). */
export const openInRunlogAction = action({
  access: "member",
  run: async (ctx, token: string) => claimShareLink(ctx, token, (await cookies()).get(linkAccessCookie)?.value),
  // The link's workspace becomes the current one (a person in two workspaces may be in the other).
  cookie: (claimed) => workspaceChoice(claimed.workspaceId),
  // Back to the link on a refusal; a token that is no link's shape (a forged call) goes home.
  redirect: (claimed, [token]) => (claimed.ok ? `/executions/${claimed.executionId}` : typeof token === "string" && isWellFormedToken(token) ? `/s/${token}` : "/executions"),
});
