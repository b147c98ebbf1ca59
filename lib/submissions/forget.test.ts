import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { formSubmissions } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import type { Ctx } from "@/lib/auth/context";
import { createOnce } from "./create-once";
import { forgetOldSubmissions, submissionsKeptForMs } from "./forget";

let maya: Ctx;
beforeAll(async () => {
  maya = await seededCtx("maya@acme.test");
});

/** A create through createOnce that makes nothing but its claim, answering the id it was given. */
async function submit(submissionId: string) {
  const db = await getDb();
  return createOnce<{ createdId: string; isRepeat: boolean }>(maya, "saved_view", { submissionId }, {
    create: (claim) => db.transaction(async (tx) => ({ ok: true, createdId: await claim(tx), isRepeat: false })),
    repeat: async (createdId) => ({ ok: true, createdId, isRepeat: true }),
  });
}

async function remembered(ids: string[]): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ id: formSubmissions.submissionId }).from(formSubmissions).where(and(eq(formSubmissions.userId, maya.userId), inArray(formSubmissions.submissionId, ids)));
  return rows.map((row) => row.id).sort();
}

describe("forgetting old submission ids", () => {
  it("forgets ids older than a week, a batch at a time, and keeps newer ones answering repeats", async () => {
    const db = await getDb();
    const old = [randomUUID(), randomUUID(), randomUUID()];
    const recent = randomUUID();
    for (const id of [...old, recent]) expect(await submit(id)).toMatchObject({ ok: true, isRepeat: false });
    const now = new Date();
    await db.update(formSubmissions).set({ createdAt: new Date(now.getTime() - submissionsKeptForMs - 60_000) }).where(inArray(formSubmissions.submissionId, old));

    const { forgotten } = await forgetOldSubmissions(now, 2);
    expect(forgotten).toBeGreaterThanOrEqual(3);
    expect(await remembered([...old, recent])).toEqual([recent]);
    // The recent one still answers its first create; nothing older is left to forget.
    const first = await submit(recent);
    expect(first).toMatchObject({ ok: true, isRepeat: true });
    expect(await forgetOldSubmissions(now)).toEqual({ forgotten: 0 });
    expect(await remembered([recent])).toEqual([recent]);
  });
});
