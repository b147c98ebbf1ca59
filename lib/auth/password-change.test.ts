import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import { demoPassword } from "@/db/seed";
import { seededCtx } from "@/db/testing/contexts";
import { changePassword, wrongCurrentPasswordMessage } from "./password-change";
import { loadSessionContext } from "./session";
import { authenticate, tooManyAttemptsMessage } from "./sign-in";

async function personOf(email: string) {
  const ctx = await seededCtx(email);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, ctx.userId));
  return { ...ctx, user: { id: user!.id, name: user!.name, email: user!.email }, sessionVersion: user!.sessionVersion };
}

const request = (ipAddress: string) => ({ ipAddress, deviceCookie: undefined });

describe("changing one's password", () => {
  it("takes the new password, refuses the old one, ends every earlier session and records it in the audit log", async () => {
    const sam = await personOf("sam@acme.test");
    const changed = await changePassword(sam, { currentPassword: demoPassword, newPassword: "a-new-long-password", confirmPassword: "a-new-long-password" }, request("10.20.0.1"));
    expect(changed).toEqual({ ok: true, sessionVersion: sam.sessionVersion + 1 });
    // Sessions begun before (every browser of Sam's) are over; the one re-issued under the new version goes on.
    expect(await loadSessionContext(sam.userId, sam.sessionVersion, undefined)).toBeNull();
    expect(await loadSessionContext(sam.userId, sam.sessionVersion + 1, undefined)).toMatchObject({ userId: sam.userId });
    expect(await authenticate({ email: "sam@acme.test", password: demoPassword }, "10.20.0.2")).toMatchObject({ ok: false, code: "unauthorized" });
    expect(await authenticate({ email: "sam@acme.test", password: "a-new-long-password" }, "10.20.0.2")).toMatchObject({ ok: true });
    const db = await getDb();
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.action, "account.password_changed"), eq(auditLog.actorUserId, sam.userId)));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ workspaceId: sam.workspaceId, targetId: sam.userId, ipAddress: "10.20.0.1" });
  });

  it("explains each mistake in a sentence and changes nothing", async () => {
    const lee = await personOf("lee@acme.test");
    const attempt = (input: Record<string, unknown>) => changePassword(lee, input, request("10.21.0.1"));
    expect(await attempt({ currentPassword: demoPassword, newPassword: "short", confirmPassword: "short" })).toMatchObject({ ok: false, code: "invalid_input", message: "Choose a new password of at least 10 characters." });
    expect(await attempt({ currentPassword: demoPassword, newPassword: "x".repeat(201), confirmPassword: "x".repeat(201) })).toMatchObject({ message: "Choose a new password of at most 200 characters." });
    expect(await attempt({ currentPassword: demoPassword, newPassword: "a-new-long-password", confirmPassword: "a-new-long-passw0rd" })).toMatchObject({ message: "The two new passwords differ; type the same one in both fields." });
    expect(await attempt({ currentPassword: "", newPassword: "a-new-long-password", confirmPassword: "a-new-long-password" })).toMatchObject({ message: "Enter your current password." });
    expect(await attempt({ currentPassword: "not-my-password", newPassword: "a-new-long-password", confirmPassword: "a-new-long-password" })).toEqual({ ok: false, code: "invalid_input", message: wrongCurrentPasswordMessage });
    expect(await attempt({})).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await loadSessionContext(lee.userId, lee.sessionVersion, undefined)).toMatchObject({ userId: lee.userId });
    expect(await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.21.0.2")).toMatchObject({ ok: true });
  });

  it("counts a wrong current password as a failed sign-in: after 5 from one address, that address is refused", async () => {
    const maya = await personOf("maya@acme.test");
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await changePassword(maya, { currentPassword: `guess-${attempt}`, newPassword: "a-new-long-password", confirmPassword: "a-new-long-password" }, request("10.22.0.1"))).toMatchObject({ message: wrongCurrentPasswordMessage });
    }
    expect(await changePassword(maya, { currentPassword: demoPassword, newPassword: "a-new-long-password", confirmPassword: "a-new-long-password" }, request("10.22.0.1"))).toEqual({ ok: false, code: "rate_limited", message: tooManyAttemptsMessage });
    // Sign-in from that address is closed too: the same count.
    expect(await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.22.0.1")).toMatchObject({ code: "rate_limited" });
  });
});
