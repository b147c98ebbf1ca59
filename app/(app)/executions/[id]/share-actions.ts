"use server";

import { action } from "@/lib/http/action";
import { changeLinkDisclosure, changeSharePermission, createShareLink, getShareOverview, revokeShare, shareWithMembers } from "@/lib/shares/manage";

export const loadSharesAction = action({
  access: "member",
  run: (ctx, executionId: string) => getShareOverview(ctx, executionId),
});

export const shareWithMembersAction = action({
  access: "member",
  run: (ctx, executionId: string, input: unknown) => shareWithMembers(ctx, executionId, input),
  revalidate: (_shared, [executionId]) => [`/executions/${executionId}`],
});

export const createShareLinkAction = action({
  access: "member",
  run: (ctx, executionId: string, input: unknown) => createShareLink(ctx, executionId, input),
});

export const changeSharePermissionAction = action({
  access: "member",
  run: (ctx, shareId: string, permission: unknown) => changeSharePermission(ctx, shareId, permission),
});

export const changeLinkDisclosureAction = action({
  access: "member",
  run: (ctx, shareId: string, input: unknown) => changeLinkDisclosure(ctx, shareId, input),
});

export const revokeShareAction = action({
  access: "member",
  run: (ctx, shareId: string) => revokeShare(ctx, shareId),
});
