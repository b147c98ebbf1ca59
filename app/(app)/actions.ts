"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireSessionContext, workspaceCookie } from "@/lib/auth/session";

const switchWorkspaceInput = z.object({ workspaceId: z.uuid() });

/** Makes another of the person's workspaces the current one. */
export async function switchWorkspace(formData: FormData): Promise<void> {
  const ctx = await requireSessionContext();
  const parsed = switchWorkspaceInput.safeParse({ workspaceId: formData.get("workspaceId") });
  const isMember = parsed.success && ctx.memberships.some((m) => m.workspaceId === parsed.data.workspaceId);
  if (parsed.success && isMember) {
    (await cookies()).set(workspaceCookie, parsed.data.workspaceId, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: 365 * 24 * 3600,
    });
  }
  redirect("/executions");
}
