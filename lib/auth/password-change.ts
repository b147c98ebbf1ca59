import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { failure, type Outcome } from "@/lib/outcome";
import type { SessionContext } from "./session";
import { hashPassword } from "./passwords";
import { checkPassword } from "./sign-in";

export const minPasswordLength = 10;
const maxPasswordLength = 200;

const changePasswordInput = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(maxPasswordLength, "That is not your current password."),
    newPassword: z
      .string({ error: "Choose a new password." })
      .min(minPasswordLength, `Choose a new password of at least ${minPasswordLength} characters.`)
      .max(maxPasswordLength, `Choose a new password of at most ${maxPasswordLength} characters.`),
    confirmPassword: z.string({ error: "Type the new password again to confirm it." }),
  })
  .refine((input) => input.newPassword === input.confirmPassword, { message: "The two new passwords differ; type the same one in both fields.", path: ["confirmPassword"] })
  .refine((input) => input.newPassword !== input.currentPassword, { message: "Choose a new password that differs from the current one.", path: ["newPassword"] });

export const wrongCurrentPasswordMessage = "That is not your current password; nothing was changed.";

/**
 * Changes the signed-in person's password after checking the current one through sign-in's own
 * check (a wrong one counts against the same throttles), and ends every session of theirs
 * (a new session version, audited): the caller re-issues this browser's session under the
 * version it returns, so only the other sessions end.
 */
export async function changePassword(
  ctx: Pick<SessionContext, "userId" | "workspaceId" | "user">,
  raw: unknown,
  request: { ipAddress: string; deviceCookie: string | undefined },
): Promise<Outcome<{ sessionVersion: number }>> {
  const parsed = changePasswordInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]?.message ?? "Check the passwords and try again.");
  const { currentPassword, newPassword } = parsed.data;
  const checked = await checkPassword({ email: ctx.user.email, password: currentPassword, ...request });
  if (!checked.ok) return checked.code === "unauthorized" ? failure("invalid_input", wrongCurrentPasswordMessage) : checked;
  const passwordHash = await hashPassword(newPassword);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, ctx.userId))
      .returning({ sessionVersion: users.sessionVersion });
    if (!updated) return failure("not_found", "Your account could not be found; sign in again.");
    await recordAudit(tx, { workspaceId: ctx.workspaceId, userId: ctx.userId }, { action: "account.password_changed", target: ctx.userId, ipAddress: request.ipAddress });
    return { ok: true, sessionVersion: updated.sessionVersion };
  });
}
