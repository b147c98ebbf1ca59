import { describe, expect, it } from "vitest";
import { scheduledFunction } from "./client";
import { runDueScheduledFunctions } from "./scheduler";

describe("the in-process scheduler", () => {
  it("runs on start only what asks to, then each function when its own cron comes due", async () => {
    const calls: string[] = [];
    const record = (id: string) => async () => void calls.push(id);
    const functions = [
      scheduledFunction({ id: "every-minute", cron: "* * * * *", runsOnStart: true }, record("every-minute")),
      scheduledFunction({ id: "hourly", cron: "17 * * * *" }, record("hourly")),
      scheduledFunction({ id: "inngest-only", cron: "* * * * *", runsInProcess: false }, record("inngest-only")),
    ];
    expect(await runDueScheduledFunctions(new Date("2030-01-07T10:15:10Z"), functions)).toEqual(["every-minute"]);
    expect(await runDueScheduledFunctions(new Date("2030-01-07T10:15:40Z"), functions)).toEqual([]);
    expect(await runDueScheduledFunctions(new Date("2030-01-07T10:16:10Z"), functions)).toEqual(["every-minute"]);
    expect(await runDueScheduledFunctions(new Date("2030-01-07T10:17:05Z"), functions)).toEqual(["every-minute", "hourly"]);
    expect(calls).toEqual(["every-minute", "every-minute", "every-minute", "hourly"]);
  });

  it("keeps going when one function fails", async () => {
    const functions = [
      scheduledFunction({ id: "broken", cron: "* * * * *", runsOnStart: true }, async () => {
        throw new Error("boom");
      }),
      scheduledFunction({ id: "fine", cron: "* * * * *", runsOnStart: true }, async () => null),
    ];
    expect(await runDueScheduledFunctions(new Date("2030-01-07T11:00:00Z"), functions)).toEqual(["fine"]);
  });
});
