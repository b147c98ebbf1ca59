import { describe, expect, it } from "vitest";
import { events } from "../client";
import { eventFunctions, functionsTriggeredBy, inngestFunctions, scheduledFunctions } from ".";

/** Every `…Function` each file of this folder exports, read from the files themselves. */
const defined = Object.entries(import.meta.glob<Record<string, unknown>>(["./*.ts", "!./*.test.ts", "!./index.ts"], { eager: true })).flatMap(
  ([file, exports]) => Object.entries(exports).filter(([name]) => name.endsWith("Function")).map(([name, fn]) => ({ file, name, fn })),
);

describe("the registry of background functions", () => {
  it("lists every function defined in inngest/functions, once, for the serve route", () => {
    expect(defined.length).toBeGreaterThanOrEqual(8);
    const registered = [...eventFunctions, ...scheduledFunctions];
    for (const { name, fn } of defined) expect(registered, name).toContain(fn);
    expect(new Set(registered.map((fn) => fn.id)).size).toBe(registered.length);
    expect(inngestFunctions).toHaveLength(registered.length);
  });

  it("finds what an event triggers by its name", () => {
    expect(functionsTriggeredBy(events.executionQueued.name).map((fn) => fn.id)).toEqual(["run-agent"]);
    expect(functionsTriggeredBy(events.executionFinished.name).map((fn) => fn.id)).toEqual(["notify-execution-finished"]);
    expect(functionsTriggeredBy("runlog/nothing")).toEqual([]);
  });

  it("refuses event data that does not fit the event's schema before the handler runs", async () => {
    const [runAgent] = functionsTriggeredBy(events.executionQueued.name);
    await expect(runAgent!.handle({ data: { executionId: 42 }, step: { run: async () => null, sendEvent: async () => null } as never, runId: "test" })).rejects.toThrow(/executionId/);
  });
});
