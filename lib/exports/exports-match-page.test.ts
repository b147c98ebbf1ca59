/**
 * Every figure a run's page shows is in its downloads with the same value (issue 15, point 4):
 * the overview, the scores beside the previous run, and the recommendations in the page's order.
 */
import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution, readAll, type RecommendationText } from "@/db/testing/finished-execution";
import { agentCatalog, agentIds, agentName } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution } from "@/lib/executions/queries";
import { flattenSettings, settingLabel } from "@/lib/executions/readable-settings";
import { getExecutionResults } from "@/lib/results/queries";
import { parseRecommendationParams } from "@/lib/results/recommendation-filter";
import { listRecommendations } from "@/lib/results/recommendations";
import { executionExportSchema } from "./execution-schema";
import { exportExecution } from "./export-execution";
import { readPdf } from "./testing/read-pdf";

let admin: Ctx;
beforeAll(async () => ({ admin } = await seededPeople()));

async function download(ctx: Ctx, executionId: string, format: string, part?: string): Promise<Buffer> {
  const exported = await exportExecution(ctx, executionId, { format, part });
  if (!exported.ok) throw new Error(`${exported.code}: ${exported.message}`);
  return readAll(exported.stream);
}

function parseCsv(bytes: Buffer): string[][] {
  const script = "import csv, json, sys, io\nprint(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read()), strict=True))))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: bytes.toString("utf8").replace(/^\uFEFF/, ""), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })) as string[][];
}

async function csvRecords(ctx: Ctx, executionId: string, part: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parseCsv(await download(ctx, executionId, "csv", part));
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!])));
}

async function json(ctx: Ctx, executionId: string) {
  return executionExportSchema.parse(JSON.parse((await download(ctx, executionId, "json")).toString("utf8")));
}

const scores = (values: Record<string, number>) => ({
  kind: "scores" as const,
  title: "Scores",
  payload: {
    metrics: Object.entries(values).map(([key, value]) => ({ key, label: key.toUpperCase(), value, scale: { min: 0, max: 100 }, isHigherBetter: key !== "errors", meaning: `About ${key}`, previousValue: null })),
  },
});

describe("downloads show what the run's page shows", () => {
  it("gives each metric the previous run's value, change and verdict the Results tab gives, in CSV, JSON and PDF", async () => {
    const earlier = await createFinishedExecution(admin, { agentId: "performance-audit", results: [scores({ speed: 77, errors: 4 })] });
    const later = await createFinishedExecution(admin, { agentId: "performance-audit", results: [scores({ speed: 81, errors: 6 })] });
    // One minute after the earlier run: by the one rule, the earlier run is its previous run.
    const db = await getDb();
    await db.update(executions).set({ createdAt: new Date(earlier.createdAt.getTime() + 60_000) }).where(eq(executions.id, later.id));

    const page = (await getExecutionResults(admin, later.id))!;
    const block = page.find((b) => b.kind === "scores");
    if (!block || block.kind !== "scores" || !block.isReadable) throw new Error("no scores block");
    expect(block.previousRun?.id).toBe(earlier.id);
    expect(block.metrics.map((m) => [m.key, m.previous])).toEqual([["speed", 77], ["errors", 4]]);

    const csv = await csvRecords(admin, later.id, "metrics");
    expect(csv.map((r) => [r.key, r.value, r.previous_value, r.change, r.verdict, r.previous_run_id])).toEqual([
      ["speed", "81", "77", "4", "better", earlier.id],
      ["errors", "6", "4", "2", "worse", earlier.id],
    ]);

    const document = await json(admin, later.id);
    const exported = document.results.find((r) => r.kind === "scores");
    if (exported?.kind !== "scores") throw new Error("no scores in the JSON");
    expect(exported.previousRun?.id).toBe(earlier.id);
    expect(exported.basisDifferences).toEqual([]);
    expect(exported.metrics.map((m) => [m.key, m.value, m.previousValue, m.change, m.verdict])).toEqual([["speed", 81, 77, 4, "better"], ["errors", 6, 4, 2, "worse"]]);

    const { pages } = await readPdf(await download(admin, later.id, "pdf"));
    expect(pages.join("\n")).toContain("(was 77, better)");

    // The first run of its kind has nothing before it, on the page and in the downloads alike.
    const first = (await getExecutionResults(admin, earlier.id))!.find((b) => b.kind === "scores");
    const earlierCsv = await csvRecords(admin, earlier.id, "metrics");
    if (first?.kind === "scores" && first.isReadable && first.previousRun === null) {
      expect(earlierCsv.map((r) => r.previous_value)).toEqual(["", ""]);
    } else {
      expect(earlierCsv.map((r) => r.previous_value)).toEqual(first?.kind === "scores" && first.isReadable ? first.metrics.map((m) => String(m.previous ?? "")) : []);
    }
  });

  it("lists recommendations in the page's default order (priority, then item) in CSV and JSON", async () => {
    const labels = ["Item 10", "item 2", "Item 1", "Éclair", "Zebra", "apple", "Ápple", "Item 1 — Größe", "-dash", " spaced", "日本語", "Zz"];
    const recs: RecommendationText[] = Array.from({ length: 90 }, (_, i) => ({
      itemLabel: labels[i % labels.length]!, field: `field ${i}`, before: null, after: `After ${i}`, rationale: "r", priority: (["low", "high", "medium"] as const)[i % 3]!,
    }));
    const execution = await createFinishedExecution(admin, { recommendations: recs });
    const { filter } = parseRecommendationParams({});
    const pageOrder: string[] = [];
    let page = await listRecommendations(execution, filter);
    for (;;) {
      pageOrder.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      page = await listRecommendations(execution, filter, { after: page.next, before: null });
    }
    expect(pageOrder).toHaveLength(90);
    expect((await csvRecords(admin, execution.id, "recommendations")).map((r) => r.id)).toEqual(pageOrder);
    expect((await json(admin, execution.id)).recommendations.map((r) => r.id)).toEqual(pageOrder);
  });

  it.each(agentIds)("puts every figure of the Overview tab and the header of a %s run in the overview CSV and the JSON, with the same values", async (agentId) => {
    const created = await createFinishedExecution(admin, {
      agentId,
      actionItems: [{ title: "Later", detail: "d", priority: "low" }, { title: "First", detail: "d", priority: "high" }],
    });
    const db = await getDb();
    await db.update(executions).set({ cancelRequestedAt: new Date("2026-03-31T09:16:00Z"), rerunOf: null }).where(eq(executions.id, created.id));
    const run = (await getVisibleExecution(admin, created.id))!;

    const csv = Object.fromEntries((await csvRecords(admin, run.id, "overview")).map((r) => [r.figure, r.value]));
    const expected: Record<string, string> = {
      execution_id: run.id,
      agent: agentName(agentId),
      agent_version: run.agentVersion,
      status: run.status,
      summary: "Test run",
      triggered_by: run.triggeredByName!,
      rerun_of: "",
      queued_at: run.createdAt.toISOString(),
      started_at: run.startedAt!.toISOString(),
      cancel_requested_at: "2026-03-31T09:16:00.000Z",
      finished_at: run.finishedAt!.toISOString(),
      duration_ms: String(run.finishedAt!.getTime() - run.startedAt!.getTime()),
      items_processed: String(run.itemsProcessed),
      items_failed: String(run.itemsFailed),
      items_in_scope: String(run.itemsTotal),
      credits_reserved: String(run.creditsReserved),
      credits_charged: String(run.creditsCharged),
      credits_refunded: String(run.creditsRefunded),
      ...Object.fromEntries(flattenSettings(run.settings).map(([name, value]) => [`setting: ${settingLabel(name)}`, value])),
    };
    expect(csv).toEqual(expected);

    const document = await json(admin, run.id);
    expect(document.execution).toMatchObject({
      id: run.id, status: run.status, preview: "Test run", triggeredBy: { user: run.triggeredByName, workflow: null }, rerunOf: null,
      createdAt: expected.queued_at, startedAt: expected.started_at, cancelRequestedAt: expected.cancel_requested_at, finishedAt: expected.finished_at, durationMs: 65_000,
      items: { processed: run.itemsProcessed, failed: run.itemsFailed, total: run.itemsTotal },
      credits: { reserved: 50, charged: 40, refunded: 10 },
      agent: { version: run.agentVersion },
    });
    expect(flattenSettings(document.settings)).toEqual(flattenSettings(run.settings));
    // Action items as the Results tab lists them: high priority first (agents that give them).
    if ((agentCatalog[agentId].resultKinds as readonly string[]).includes("action_items")) {
      expect(document.actionItems.map((a) => a.title)).toEqual(["First", "Later"]);
      expect((await csvRecords(admin, run.id, "action_items")).map((a) => a.title)).toEqual(["First", "Later"]);
    }

    const cover = (await readPdf(await download(admin, run.id, "pdf"))).pages[0]!;
    for (const figure of ["40 charged · 50 reserved · 10 refunded", "65 s", `${run.itemsProcessed} processed`, run.triggeredByName!, run.id]) expect(cover, figure).toContain(figure);
  });
});
