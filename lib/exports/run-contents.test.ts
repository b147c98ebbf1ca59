import { beforeAll, describe, expect, it } from "vitest";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { downloadOptions } from "./formats";
import { emptyFilter } from "@/lib/executions/list-filter";
import { listExecutions } from "@/lib/executions/list";
import { getRunContents } from "./run-contents";

let sam: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ sam, globexAdmin } = await seededPeople()));

const labelsOf = async (ctx: Ctx, execution: { id: string; agentId: string }) =>
  downloadOptions(execution.id, execution.agentId, (await getRunContents(ctx, execution.id))!).map((o) => o.label);

describe("what a run offers to download", () => {
  it("offers a run that failed before producing anything its JSON and processing log only", async () => {
    const failed = await createFinishedExecution(sam, { status: "failed", logs: [{ level: "error", step: "batch 1/1", message: "Store connection lost" }] });
    expect(await labelsOf(sam, failed)).toEqual(["JSON (settings and log)", "CSV: Processing log", "CSV: Overview"]);
  });

  it("offers a failed run's items, and the recommendations of the batches it finished, but no metrics it never computed", async () => {
    const failed = await createFinishedExecution(sam, {
      status: "failed",
      items: [{ itemRef: "page:1", itemLabel: "/about", outcome: "processed" }],
      recommendations: [{ itemLabel: "/about", before: "About", after: "About us | Acme", rationale: "Too short" }],
    });
    expect(await labelsOf(sam, failed)).toEqual(["PDF report", "JSON (everything)", "CSV: Recommendations", "CSV: Items", "CSV: Processing log", "CSV: Overview"]);
  });

  it("offers a finished SEO audit every table it has", async () => {
    const done = await createFinishedExecution(sam, {
      items: [{ itemRef: "page:1", itemLabel: "/about", outcome: "processed", score: 70 }],
      recommendations: [{ itemLabel: "/about", before: "About", after: "About us | Acme", rationale: "Too short" }],
      actionItems: [{ title: "Write more copy", detail: "Thin page" }],
      results: [{ kind: "scores", title: "SEO score", payload: { metrics: [] } }],
    });
    expect(await labelsOf(sam, done)).toEqual(["PDF report", "JSON (everything)", "CSV: Recommendations", "CSV: Items", "CSV: Metrics", "CSV: Action items", "CSV: Processing log", "CSV: Overview"]);
  });

  it("reads only the caller's workspace", async () => {
    const run = await createFinishedExecution(sam, { status: "failed" });
    expect(await getRunContents(globexAdmin, run.id)).toBeNull();
    expect(await getRunContents(sam, run.id)).not.toBeNull();
  });

  it("gives each settled row of the history the downloads its run page offers", async () => {
    const withItems = await createFinishedExecution(sam, {
      items: [{ itemRef: "page:1", itemLabel: "/about", outcome: "processed", score: 70 }],
      results: [{ kind: "report", title: "Report", payload: {} }],
    });
    const bare = await createFinishedExecution(sam, { status: "failed" });
    const listed = async (id: string, withContents: boolean) =>
      (await listExecutions(sam, { filter: { ...emptyFilter, id }, page: { after: null, before: null }, limit: 5 }, { withContents })).rows.find((r) => r.id === id);
    for (const run of [withItems, bare]) expect((await listed(run.id, true))?.contents).toEqual(await getRunContents(sam, run.id));
    expect((await listed(withItems.id, true))?.contents).toMatchObject({ hasResults: true, hasScores: false, hasItems: true });
    expect((await listed(bare.id, true))?.contents).toMatchObject({ hasResults: false, hasItems: false });
    expect((await listed(withItems.id, false))?.contents).toBeNull();
  });
});
