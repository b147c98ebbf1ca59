import { beforeAll, describe, expect, it } from "vitest";
import { seededCtx } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution } from "@/lib/executions/queries";
import { listedExecutionJson, overviewOf } from "./execution-overview";

let admin: Ctx;
beforeAll(async () => {
  admin = await seededCtx("admin@acme.test");
});

describe("an execution as JSON", () => {
  it("reads the same in the JSON API's list and at the head of its JSON download", async () => {
    const created = await createFinishedExecution(admin, { status: "partial" });
    const run = (await getVisibleExecution(admin, created.id))!;
    const listed = listedExecutionJson(run);
    expect(listed).toEqual({
      id: run.id,
      agentId: "seo-audit",
      agentName: "SEO audit",
      agentVersion: "1.4.0",
      status: "partial",
      triggeredBy: { user: run.triggeredByName },
      createdAt: "2026-03-31T09:15:00.000Z",
      startedAt: "2026-03-31T09:15:00.000Z",
      finishedAt: "2026-03-31T09:16:05.000Z",
      durationMs: 65_000,
      items: { total: 0, processed: 0, failed: 0 },
      credits: { reserved: 50, charged: 40, refunded: 10 },
      preview: "Test run",
      error: null,
      rerunOf: null,
    });
    const overview = overviewOf(run, "Acme");
    for (const key of ["id", "status", "createdAt", "startedAt", "finishedAt", "durationMs", "items", "credits", "preview", "rerunOf"] as const) expect(listed[key], key).toEqual(overview[key]);
    expect(overview.agent).toEqual({ id: listed.agentId, name: listed.agentName, version: listed.agentVersion });
  });
});
