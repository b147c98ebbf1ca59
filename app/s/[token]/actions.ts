"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireSessionContext } from "@/lib/auth/session";
import { clientAddress } from "@/lib/http/client-address";
import { claimShareLink, unlockShareLink } from "@/lib/shares/links";

export type UnlockState = { message: string } | null;

export async function unlockLinkAction(token: string, _previous: UnlockState, form: FormData): Promise<UnlockState> {
  const requestHeaders = await headers();
  const result = await unlockShareLink(token, form.get("password"), clientAddress(requestHeaders));
  if (!result.ok) return { message: result.message };
  const { name, value, path, maxAge } = result.cookie;
  const isHttps = requestHeaders.get("x-forwarded-proto") === "https";
  (await cookies()).set(name, value, { path, maxAge, httpOnly: true, sameSite: "lax", secure: isHttps });
  redirect(`/s/${token}`);
}

/** A signed-in member takes the link into Runlog, where the link's permission is theirs. */
export async function openInRunlogAction(token: string): Promise<void> {
  const ctx = await requireSessionContext();
  const claimed = await claimShareLink(ctx, token);
  redirect(claimed.ok ? `/executions/${claimed.executionId}` : `/s/${token}`);
}
