import { z } from "zod";
import { metricSchema, reportPayload, summaryPayload } from "@/lib/results/payloads";

/**
 * The JSON download of an execution, version 1: the documented contract for scripts. It is
 * published as JSON Schema at `/api/schema/execution.json`. A change that could break a
 * reader (a field removed, renamed or retyped) raises `schemaVersion`; new optional fields
 * do not.
 */
export const executionExportSchemaVersion = 1;
export const executionExportSchemaPath = "/api/schema/execution.json";

const isoDateTime = z.iso.datetime({ offset: true }).describe("ISO 8601 date and time, UTC");
const nullableDateTime = isoDateTime.nullable();
const jsonObject = z.record(z.string(), z.unknown());
const priority = z.enum(["high", "medium", "low"]);

const overview = z
  .object({
    id: z.uuid(),
    agent: z.object({ id: z.string(), name: z.string(), version: z.string() }),
    workspace: z.object({ id: z.uuid(), name: z.string() }),
    status: z.enum(["queued", "running", "completed", "failed", "canceled", "partial"]),
    triggeredBy: z.object({ user: z.string().nullable().describe("\"A teammate\" through a share link that hides people's names"), workflow: z.string().nullable() }),
    rerunOf: z.uuid().nullable(),
    createdAt: isoDateTime,
    startedAt: nullableDateTime,
    cancelRequestedAt: nullableDateTime.optional().describe("When someone asked to cancel the run"),
    finishedAt: nullableDateTime,
    durationMs: z.number().int().nullable(),
    items: z.object({ total: z.number().int(), processed: z.number().int(), failed: z.number().int() }),
    credits: z.object({ reserved: z.number().int(), charged: z.number().int(), refunded: z.number().int() }).optional().describe("Left out of a download through a share link that hides credits"),
    preview: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string().nullable(), hint: z.string().nullable(), logSeq: z.number().int().nullable() }).nullable(),
  })
  .describe("What ran, who ran it, when, and what it cost");

const comparedMetric = metricSchema.extend({
  previousValue: z.number().nullable().optional().describe("The same metric in the previous run (the newest earlier completed or partial run of this agent the downloader can see), as the page shows it; null without one"),
  change: z.number().nullable().optional().describe("value − previousValue, rounded to 2 decimals"),
  verdict: z.enum(["better", "worse", "no change", "different basis"]).nullable().optional().describe("What the page says of the change: never better or worse across different settings, scope or period"),
  rate: z.object({ unit: z.enum(["per day", "per item"]), value: z.number(), previous: z.number() }).nullable().optional().describe("A count compared as a rate, when the two runs' bases differ"),
});

const result = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("report"), title: z.string(), report: reportPayload }),
    z.object({
      kind: z.literal("scores"),
      title: z.string(),
      metrics: z.array(comparedMetric),
      previousRun: z.object({ id: z.uuid(), createdAt: isoDateTime }).nullable().optional().describe("The run the metrics are compared with"),
      basisDifferences: z.array(z.string()).optional().describe("How that run's settings, scope or period differ (\"Period: 30 vs 14 days\"); empty: like for like"),
    }),
    z.object({ kind: z.literal("recommendations"), title: z.string(), summary: summaryPayload }),
    z.object({ kind: z.literal("generated_content"), title: z.string(), summary: summaryPayload }),
    z.object({ kind: z.literal("action_items"), title: z.string(), summary: summaryPayload }),
  ])
  .describe("One result block, in the order the details page shows them");

const recommendation = z.object({
  id: z.uuid(),
  origin: z.enum(["change", "generated"]).describe("change: a fix to an existing field; generated: new text"),
  item: z.object({ type: z.string(), ref: z.string(), label: z.string() }),
  field: z.string(),
  before: z.string().nullable(),
  after: z.string(),
  edited: z.string().nullable().describe("A person's rewrite of generated text; applied instead of `after`"),
  priority,
  status: z.enum(["pending", "approved", "rejected", "applied", "failed", "reverted"]),
  rationale: z.string(),
  applyError: z.string().nullable(),
  decidedAt: nullableDateTime,
  appliedAt: nullableDateTime,
  revertedAt: nullableDateTime,
  createdAt: isoDateTime,
});

const actionItem = z.object({
  id: z.uuid(),
  position: z.number().int(),
  priority,
  title: z.string(),
  detail: z.string(),
  isDone: z.boolean(),
  doneAt: nullableDateTime,
  doneBy: z.string().nullable().optional().describe("Who ticked it off, as the page names them"),
});

const item = z.object({
  type: z.string(),
  ref: z.string(),
  label: z.string(),
  outcome: z.enum(["processed", "failed", "skipped"]),
  reason: z.string().nullable(),
  score: z.number().nullable(),
  data: jsonObject.nullable(),
  processedAt: isoDateTime,
});

const logLine = z.object({
  seq: z.number().int(),
  at: isoDateTime,
  level: z.enum(["debug", "info", "warn", "error"]),
  step: z.string(),
  message: z.string(),
  data: jsonObject.nullable(),
});

export const executionExportSchema = z
  .object({
    schemaVersion: z.literal(executionExportSchemaVersion),
    schema: z.string().describe("Where this document's JSON Schema is published"),
    generatedAt: isoDateTime,
    execution: overview,
    settings: jsonObject.describe("The agent's input settings, as the run form saved them"),
    scope: jsonObject.describe("Which store items the run covered"),
    results: z.array(result),
    recommendations: z.array(recommendation),
    actionItems: z.array(actionItem),
    items: z.array(item).describe("Every store item the run looked at, with its outcome"),
    log: z.array(logLine).describe("The processing log, line by line"),
  })
  .describe("A Runlog execution: overview, settings, results, items and processing log");

export type ExportedOverview = z.infer<typeof overview>;
export type ExportedResult = z.infer<typeof result>;
export type ExportedActionItem = z.infer<typeof actionItem>;

/** The schema as JSON Schema (draft 2020-12), as `/api/schema/execution.json` serves it. */
export function executionJsonSchema(): Record<string, unknown> {
  return {
    title: `Runlog execution export, version ${executionExportSchemaVersion}`,
    ...z.toJSONSchema(executionExportSchema, { target: "draft-2020-12" }),
  };
}
