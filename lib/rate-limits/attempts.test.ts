import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { rateLimitHits } from "@/db/schema";
import { countAttempt, countAttemptAsFailed, uncountAttempt } from "./attempts";

const window = { limit: 3, windowMs: 15 * 60_000 };

describe("counting tries before they are checked", () => {
  it("counts a try left being checked by a process that died as a failure, without making the next one wait", async () => {
    const db = await getDb();
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await db.insert(rateLimitHits).values(Array.from({ length: 3 }, () => ({ key: "test:died", at: aMinuteAgo, isBeingChecked: true })));
    const started = performance.now();
    expect(await countAttempt("test:died", window)).toMatchObject({ isAdmitted: false, reason: "too_many" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("lets a try past the limit wait for those ahead of it, and admits it when they turn out right", async () => {
    const ahead = await Promise.all([countAttempt("test:ahead", window), countAttempt("test:ahead", window), countAttempt("test:ahead", window)]);
    expect(ahead.map((a) => a.isAdmitted)).toEqual([true, true, true]);
    let isSettled = false;
    const waiting = countAttempt("test:ahead", window).then((answer) => {
      isSettled = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isSettled).toBe(false);
    // One of those ahead was wrong, one right, one still being checked: the waiting try's place is now third.
    await countAttemptAsFailed(ahead[0]!.hitId);
    await uncountAttempt(ahead[1]!.hitId);
    expect(await waiting).toMatchObject({ isAdmitted: true, tries: 3 });
  });

  it("refuses a try once the failures ahead of it reach the limit", async () => {
    const ahead = await Promise.all([countAttempt("test:wrong", window), countAttempt("test:wrong", window), countAttempt("test:wrong", window)]);
    const waiting = countAttempt("test:wrong", window);
    for (const attempt of ahead) await countAttemptAsFailed(attempt.hitId);
    expect(await waiting).toMatchObject({ isAdmitted: false, reason: "too_many" });
  });
});
