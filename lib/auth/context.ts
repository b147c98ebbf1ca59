import type { MemberRole } from "@/db/schema";

/** Who is asking: every domain function takes this and answers only within its workspace. */
export type Ctx = {
  userId: string;
  workspaceId: string;
  role: MemberRole;
};

export function isAdmin(ctx: Ctx): boolean {
  return ctx.role === "admin";
}
