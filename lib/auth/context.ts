import type { MemberRole } from "@/db/schema";

/** Who is asking: every domain function takes this and answers only within its workspace. */
export type Ctx = {
  userId: string;
  workspaceId: string;
  role: MemberRole;
  /**
   * Set for a visitor through a share link: they see this one execution and nothing else,
   * and change nothing (the visibility rule and the permission checks read it).
   */
  linkShare?: { shareId: string; executionId: string; showsCredits: boolean; showsNames: boolean };
  /** Set when the request came with an API token (lib/api-tokens): audit entries name it. */
  apiToken?: { id: string };
};

/** No user has this id, so nothing is "theirs" for a link visitor. */
const nobody = "00000000-0000-0000-0000-000000000000";

export function isAdmin(ctx: Ctx): boolean {
  return ctx.role === "admin" && !ctx.linkShare;
}

/** The reader behind a share link: the shared execution only, read-only. */
export function linkVisitorContext(share: { id: string; workspaceId: string; executionId: string; showsCredits: boolean; showsNames: boolean }): Ctx {
  return {
    userId: nobody, workspaceId: share.workspaceId, role: "member",
    linkShare: { shareId: share.id, executionId: share.executionId, showsCredits: share.showsCredits, showsNames: share.showsNames },
  };
}
