"use server";

import { revalidatePath } from "next/cache";
import { requireSessionContext } from "@/lib/auth/session";
import { answerOf, type Answer } from "@/lib/outcome";
import { changeSharePermission, createShareLink, getShareOverview, revokeShare, shareWithMembers, type CreatedLink, type MemberShareResult, type ShareOverview } from "@/lib/shares/manage";

export async function loadSharesAction(executionId: string): Promise<Answer<ShareOverview>> {
  const ctx = await requireSessionContext();
  return answerOf(await getShareOverview(ctx, executionId));
}

export async function shareWithMembersAction(executionId: string, input: unknown): Promise<Answer<MemberShareResult>> {
  const ctx = await requireSessionContext();
  const result = await shareWithMembers(ctx, executionId, input);
  revalidatePath(`/executions/${executionId}`);
  return answerOf(result);
}

export async function createShareLinkAction(executionId: string, input: unknown): Promise<Answer<CreatedLink>> {
  const ctx = await requireSessionContext();
  return answerOf(await createShareLink(ctx, executionId, input));
}

export async function changeSharePermissionAction(shareId: string, permission: unknown): Promise<Answer> {
  const ctx = await requireSessionContext();
  return answerOf(await changeSharePermission(ctx, shareId, permission));
}

export async function revokeShareAction(shareId: string): Promise<Answer<{ wasRevoked: boolean }>> {
  const ctx = await requireSessionContext();
  return answerOf(await revokeShare(ctx, shareId));
}
