import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { createFreshWorkspace } from "@/db/testing/fresh-workspace";
import { loadSessionContext } from "./session";
import { endAllSessions } from "./sessions";

async function sessionVersionOf(userId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ version: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row!.version;
}

describe("ending sessions", () => {
  it("ends every session of a person at once (sign-out), and nobody else's", async () => {
    const [sam, maya] = await Promise.all([seededCtx("sam@acme.test"), seededCtx("maya@acme.test")]);
    const [samVersion, mayaVersion] = await Promise.all([sessionVersionOf(sam.userId), sessionVersionOf(maya.userId)]);
    expect(await loadSessionContext(sam.userId, samVersion, undefined)).toMatchObject({ userId: sam.userId, workspaceId: sam.workspaceId });

    await endAllSessions(sam.userId);

    expect(await loadSessionContext(sam.userId, samVersion, undefined)).toBeNull();
    // A session begun after that (a new sign-in carries the new version) works.
    expect(await loadSessionContext(sam.userId, samVersion + 1, undefined)).toMatchObject({ userId: sam.userId });
    expect(await loadSessionContext(maya.userId, mayaVersion, undefined)).toMatchObject({ userId: maya.userId });
  });

  it("ends the session of a person removed from their last workspace on their next request", async () => {
    const { people } = await createFreshWorkspace([{ key: "admin", role: "admin" }, { key: "member", role: "member" }]);
    const member = people.member!;
    expect(await loadSessionContext(member.userId, 0, undefined)).toMatchObject({ userId: member.userId });
    const db = await getDb();
    await db.delete(memberships).where(and(eq(memberships.userId, member.userId), eq(memberships.workspaceId, member.workspaceId)));
    expect(await loadSessionContext(member.userId, 0, undefined)).toBeNull();
  });
});
