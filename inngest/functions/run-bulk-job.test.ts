import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { catalogueRun } from "@/db/testing/catalogue-run";
import { seededPeople } from "@/db/testing/contexts";
import { asOneFunctionRun } from "@/inngest/test-engine";
import { previewApplyAllMatching } from "@/lib/results/apply-in-parts";
import { getApplyJob, startApplyJob } from "@/lib/results/apply-job";
import { events } from "../client";
import { runBulkJobFunction } from "./run-bulk-job";

describe("the run-bulk-job Inngest function", () => {
  it("applies a 600-change plan in one step of three parts, the function run holding the job", { timeout: 120_000 }, async () => {
    const { sam } = await seededPeople();
    const run = await catalogueRun(sam, 600);
    const approved = { priority: [], status: ["approved" as const], q: "", sort: "priority" as const };
    const preview = await previewApplyAllMatching(sam, run.executionId, approved);
    if (!preview.ok) throw new Error(preview.message);
    const started = await startApplyJob(sam, run.executionId, { start: preview.preview.start });
    if (!started.ok) throw new Error(started.message);

    const engine = new InngestTestEngine({ function: runBulkJobFunction.definition, transformCtx: asOneFunctionRun });
    const { result, error, ctx } = await engine.execute({ events: [{ name: events.bulkJobRequested.name, data: { jobId: started.job.id, workspaceId: sam.workspaceId } }] });
    expect(error).toBeUndefined();
    expect(result).toEqual({ jobId: started.job.id, status: "finished", done: 600, skipped: 0 });
    // Several parts per step: a million changes take 500 steps, within Inngest's 1,000 per function run.
    const stepIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map(([id]) => id);
    expect(stepIds).toEqual(["batches-1"]);
    expect(await getApplyJob(sam, started.job.id)).toMatchObject({ status: "finished", applied: 600 });
  });
});
