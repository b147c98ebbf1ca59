import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions, recommendations } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution, readAll, type RecommendationText } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { csvHead, csvLines, type CsvCell } from "./csv";
import { recommendationBatches } from "./execution-rows";
import { executionExportSchema, executionJsonSchema } from "./execution-schema";
import { exportExecution } from "./export-execution";
import { pdfTurns } from "./execution-pdf";
import { openReportFile } from "./report-files";
import { rowTextHeader, rowTextQuotedColumns } from "./row-text";
import { readPdf } from "./testing/read-pdf";

let admin: Ctx;
let sam: Ctx;
let lee: Ctx;
let globexAdmin: Ctx;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-exports-"));

beforeAll(async () => ({ admin, sam, lee, globexAdmin } = await seededPeople()));

/** Texts that break naive CSV writers and readers, or that spreadsheets would run as formulas. */
const awkward = [
  "Comma, inside",
  'Quote "inside" and ""doubled""',
  "Line\nbreak",
  "Windows\r\nline break",
  "Accents é ü ß, and 日本語",
  "=SUM(A1:A2)",
  "+1 555 0100",
  "-2+3",
  "@cmd",
  "\tTabbed",
  "\rReturn first",
  '=HYPERLINK("http://example.test")\nsecond line',
  " leading and trailing spaces ",
  "Symbols ✓ → € © ½",
];

const neutralized = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function awkwardRecommendations(): RecommendationText[] {
  return awkward.map((text, i) => ({ itemLabel: text, field: `field ${i}`, before: i % 5 === 0 ? null : text, after: text, rationale: `${text} (why ${i})` }));
}

async function download(ctx: Ctx, executionId: string, format: string, part?: string) {
  const exported = await exportExecution(ctx, executionId, { format, part });
  if (!exported.ok) throw new Error(`${exported.code}: ${exported.message}`);
  return { ...exported, bytes: await readAll(exported.stream) };
}

/** Parses CSV with Python's csv module: a reader written by other people than papaparse's. */
function parseWithPython(bytes: Buffer): string[][] {
  const file = path.join(workDir, `parse-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, bytes);
  const script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    print(json.dumps(list(csv.reader(f, strict=True))))";
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })) as string[][];
}

describe("CSV downloads", () => {
  it("survive a round trip through Python's csv module, every awkward value intact and formulas neutralized", async () => {
    const execution = await createFinishedExecution(admin, { recommendations: awkwardRecommendations() });
    const { bytes, fileName, contentType } = await download(admin, execution.id, "csv", "recommendations");

    expect(contentType).toBe("text/csv; charset=utf-8");
    expect(fileName).toMatch(/^runlog-seo-audit-2026-03-31-[0-9a-f]{8}\.csv$/);
    expect(fileName).toContain(execution.id.slice(0, 8));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // RFC 4180 records end in CRLF.
    expect(bytes.subarray(bytes.length - 2).toString()).toBe("\r\n");

    const [header, ...rows] = parseWithPython(bytes);
    expect(header).toEqual(["id", "priority", "status", "item_type", "item_ref", "item", "field", "before", "after", "edited", "rationale", "origin", "apply_error", "decided_at", "applied_at", "reverted_at", "created_at"]);
    expect(rows).toHaveLength(awkward.length);
    const column = (name: string) => header!.indexOf(name);
    for (const [i, text] of awkward.entries()) {
      const row = rows.find((r) => r[column("field")] === `field ${i}`);
      expect(row, `row for “${JSON.stringify(text)}”`).toBeDefined();
      expect(row![column("item")]).toBe(neutralized(text));
      expect(row![column("after")]).toBe(neutralized(text));
      expect(row![column("before")]).toBe(i % 5 === 0 ? "" : neutralized(text));
      expect(row![column("rationale")]).toBe(neutralized(`${text} (why ${i})`));
      expect(row![column("created_at")]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });

  it("writes the lines the database builds exactly as papaparse writes the same cells", async () => {
    const execution = await createFinishedExecution(admin, { recommendations: [...awkwardRecommendations(), { itemLabel: " spaced", before: "", after: "a,b", rationale: "trailing " }] });
    const { bytes } = await download(admin, execution.id, "csv", "recommendations");
    const rows: CsvCell[][] = [];
    for await (const batch of recommendationBatches(execution.id)) {
      for (const r of batch) {
        rows.push([r.id, r.priority, r.status, r.itemType, r.itemRef, r.itemLabel, r.field, r.beforeValue, r.afterValue, r.editedValue, r.rationale, r.origin, r.applyError, r.decidedAt, r.appliedAt, r.revertedAt, r.createdAt]);
      }
    }
    const expected = csvHead(rowTextHeader("recommendations")) + csvLines(rows, rowTextQuotedColumns("recommendations"));
    expect(bytes.toString("utf8")).toBe(expected);
  });

  it("offers the tables the agent produces, each as its own file, and numbers stay numbers", async () => {
    const execution = await createFinishedExecution(admin, {
      items: [
        { itemRef: "page:1", itemLabel: "Über uns", outcome: "processed", score: -12.5 },
        { itemRef: "page:2", itemLabel: "=1+1", outcome: "failed", reason: "Missing title, \"quoted\"" },
      ],
      logs: [{ step: "begin", message: "Started, with a comma" }, { level: "warn", step: "batch 1", message: "-slow", data: { items: 2, ms: 10 } }],
      actionItems: [{ title: "Fix titles", detail: "Line one\nline two", priority: "high" }],
      results: [{ kind: "scores", title: "Scores", payload: { metrics: [{ key: "seo", label: "SEO score", value: 71, scale: { min: 0, max: 100 }, isHigherBetter: true, meaning: "Higher, better" }] } }],
    });
    const items = parseWithPython((await download(admin, execution.id, "csv", "items")).bytes);
    expect(items[0]).toEqual(["item_type", "item_ref", "item", "outcome", "reason", "score", "processed_at"]);
    expect(items.find((r) => r[1] === "page:1")).toMatchObject({ 2: "Über uns", 5: "-12.5" });
    expect(items.find((r) => r[1] === "page:2")).toMatchObject({ 2: "'=1+1", 4: 'Missing title, "quoted"' });

    const { bytes: logBytes, fileName: logName } = await download(admin, execution.id, "csv", "log");
    expect(logName).toMatch(/^runlog-seo-audit-2026-03-31-[0-9a-f]{8}-log\.csv$/);
    const log = parseWithPython(logBytes);
    expect(log.slice(1).map((r) => [r[0], r[2], r[4]])).toEqual([["1", "info", "Started, with a comma"], ["2", "warn", "'-slow"]]);
    expect(log[1]![5]).toBe("");
    expect(JSON.parse(log[2]![5]!)).toEqual({ items: 2, ms: 10 });

    const metrics = parseWithPython((await download(admin, execution.id, "csv", "metrics")).bytes);
    expect(metrics[0]).toEqual(["result", "key", "metric", "value", "unit", "scale_min", "scale_max", "higher_is_better", "previous_value", "change", "verdict", "rate_unit", "rate", "previous_rate", "previous_run_id", "meaning"]);
    expect(metrics[1]!.slice(0, 8)).toEqual(["Scores", "seo", "SEO score", "71", "", "0", "100", "true"]);
    expect(metrics[1]!.at(-1)).toBe("Higher, better");

    const actions = parseWithPython((await download(admin, execution.id, "csv", "action_items")).bytes);
    expect(actions[1]).toEqual(["0", "high", "Fix titles", "Line one\nline two", "false", "", ""]);
  });
});

describe("JSON downloads", () => {
  it("validate against the published JSON Schema, with every row of every table", async () => {
    const execution = await createFinishedExecution(admin, {
      recommendations: awkwardRecommendations(),
      items: [{ itemRef: "page:1", itemLabel: "Startseite", outcome: "processed", score: 88 }],
      logs: [{ step: "begin", message: "Started" }, { level: "error", step: "batch 1", message: "Boom", data: { items: 0 } }],
      actionItems: [{ title: "Fix titles", detail: "Soon" }],
      results: [
        { kind: "scores", title: "Scores", payload: { metrics: [{ key: "seo", label: "SEO score", value: 71, scale: { min: 0, max: 100 }, isHigherBetter: true, meaning: "Higher, better", previousValue: null }] } },
        { kind: "recommendations", title: "Fixes", payload: { count: awkward.length, summary: "Some fixes" } },
        { kind: "report", title: "Report", payload: { summary: "Sommaire é", tables: [{ title: "T", columns: ["a", "b"], rows: [["x", 1]] }], charts: [{ title: "C", type: "bar", series: [{ name: "s", points: [{ x: "a", y: 1 }] }] }] } },
      ],
    });
    const { bytes, fileName, contentType } = await download(admin, execution.id, "json");
    expect(contentType).toBe("application/json; charset=utf-8");
    expect(fileName).toMatch(/^runlog-seo-audit-2026-03-31-[0-9a-f]{8}\.json$/);
    const document = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;

    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(executionJsonSchema());
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(executionExportSchema.safeParse(document).success).toBe(true);

    const parsed = executionExportSchema.parse(document);
    expect(parsed.execution).toMatchObject({ id: execution.id, agent: { id: "seo-audit", name: "SEO audit" }, workspace: { name: "Acme Outfitters" }, status: "completed" });
    expect(parsed.settings).toEqual({ checks: ["titles", "meta"], note: "Réglages — 日本語" });
    expect(parsed.recommendations.map((r) => r.after).sort()).toEqual([...awkward].sort());
    expect(parsed.items).toHaveLength(1);
    expect(parsed.log.map((l) => l.message)).toEqual(["Started", "Boom"]);
    expect(parsed.actionItems).toHaveLength(1);
    expect(parsed.results.map((r) => r.kind)).toEqual(["scores", "recommendations", "report"]);
  });

  it("reads large tables in batches and still writes one valid document, kept byte for byte", async () => {
    const many = Array.from({ length: 12_345 }, (_, i) => ({ itemLabel: `Item ${i} — Größe`, before: null, after: `After ${i}`, rationale: "r" }));
    const execution = await createFinishedExecution(admin, { recommendations: many, logs: [{ step: "begin", message: "Started" }], actionItems: [{ title: "Fix titles", detail: "d" }, { title: "Fix alt text", detail: "d" }] });
    const json = await download(admin, execution.id, "json");
    const parsed = executionExportSchema.parse(JSON.parse(json.bytes.toString("utf8")));
    expect(parsed.recommendations).toHaveLength(12_345);
    const ids = parsed.recommendations.map((r) => r.id);
    expect(new Set(ids).size).toBe(12_345);
    // In the page's order (priority, item, id, by the database's own collation) across every batch.
    const db = await getDb();
    const ordered = await db.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.executionId, execution.id))
      .orderBy(asc(recommendations.priority), asc(recommendations.itemLabel), asc(recommendations.id));
    expect(ids).toEqual(ordered.map((row) => row.id));
    expect(parsed.recommendations.at(-1)!.item.label).toMatch(/^Item \d+ — Größe$/);
    expect(parsed.actionItems.map((a) => a.title)).toEqual(["Fix titles", "Fix alt text"]);

    const csv = await download(admin, execution.id, "csv", "recommendations");
    expect(parseWithPython(csv.bytes)).toHaveLength(1 + 12_345);

    // The stored copies (their batches written by the database) read back as what was streamed.
    for (const { fileId, bytes } of [json, csv]) {
      const again = await openReportFile(admin, fileId);
      if (!again.ok) throw new Error(again.message);
      expect((await readAll(again.stream)).equals(bytes)).toBe(true);
    }
  });
});

describe("PDF downloads", () => {
  it("embed a font that renders é ü ß 日本語, start with the agent's name and number every page", async () => {
    const recs: RecommendationText[] = Array.from({ length: 240 }, (_, i) => ({
      itemLabel: i === 0 ? "Produkt Größe é ü ß 日本語" : `Product ${i}`,
      before: i % 2 ? "Old title, a little long so that the cell wraps onto a second line in the table" : null,
      after: `Neuer Titel ${i} — Übersicht`,
      rationale: "Titles should be 30–60 characters.",
    }));
    const execution = await createFinishedExecution(admin, {
      recommendations: recs,
      logs: [{ step: "begin", message: "Démarrage" }, { level: "warn", step: "batch 1", message: "Langsam: 日本語" }],
      actionItems: [{ title: "Fix titles", detail: "Straße" }],
      results: [
        { kind: "scores", title: "Scores", payload: { metrics: [{ key: "seo", label: "SEO score", value: 71, scale: { min: 0, max: 100 }, isHigherBetter: true, meaning: "m" }] } },
        { kind: "report", title: "Audit report", payload: { summary: "Résumé", tables: [{ title: "By type", columns: ["Type", "Count"], rows: [["page", 3]] }], charts: [{ title: "Issues by type", type: "bar", series: [{ name: "issues", points: [{ x: "title", y: 4 }, { x: "meta", y: 2 }] }] }, { title: "Trend", type: "line", series: [{ name: "score", points: [{ x: 1, y: 60 }, { x: 2, y: 71 }] }] }] } },
      ],
    });
    const { bytes, fileName, contentType } = await download(admin, execution.id, "pdf");
    expect(contentType).toBe("application/pdf");
    expect(fileName).toMatch(/^runlog-seo-audit-2026-03-31-[0-9a-f]{8}\.pdf$/);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const { pages, fonts } = await readPdf(bytes);
    const firstPage = pages[0]!;
    expect(firstPage).toContain("SEO audit");
    expect(firstPage).toContain("Acme Outfitters");
    expect(firstPage).toContain("Page 1 of");

    const text = pages.join("\n");
    for (const word of ["é", "ü", "ß", "日本語", "Größe", "Straße", "Démarrage"]) expect(text, word).toContain(word);
    const pageCount = Number(/Page 1 of (\d+)/.exec(firstPage)![1]);
    expect(pages).toHaveLength(pageCount);
    pages.forEach((page, index) => expect(page).toContain(`Page ${index + 1} of ${pageCount}`));
    // The recommendations table runs over several pages, its header row on each.
    const withRecommendationHeader = pages.filter((p) => p.includes("Item · field"));
    expect(withRecommendationHeader.length).toBeGreaterThan(2);
    expect(pages.at(-1)).toContain(`Page ${pageCount} of ${pageCount}`);
    expect(fonts).toContain("WenQuanYiMicroHei");
    expect(fonts.join(" ")).not.toMatch(/Helvetica/);
  });
});

describe("many PDFs at once", () => {
  it("waits its turn behind the two being made, and past 50 waiting is refused with 503's code while CSV still downloads", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: [{ itemLabel: "Boot", before: "Old", after: "New", rationale: "Why" }] });
    const held = [await pdfTurns.take(), await pdfTurns.take()];
    const waiting = Array.from({ length: 50 }, () => pdfTurns.take());
    try {
      expect(await exportExecution(sam, execution.id, { format: "pdf" })).toMatchObject({ ok: false, code: "unavailable", message: expect.stringMatching(/^Runlog is making many PDF reports at once/) });
      expect((await download(sam, execution.id, "csv")).bytes.length).toBeGreaterThan(0);
    } finally {
      for (const giveBack of held) giveBack();
      // Each waiter gives its turn back as soon as it gets it.
      await Promise.all(waiting.map((waiter) => waiter.then((giveBack) => giveBack())));
    }
    // One is made while another person's turn is held: it waits, then finishes once that is given back.
    const other = await pdfTurns.take();
    const third = await pdfTurns.take();
    const pending = download(sam, execution.id, "pdf");
    let isDone = false;
    void pending.then(() => (isDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isDone).toBe(false);
    other();
    third();
    expect((await pending).bytes.subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("refusals", () => {
  it("answers clear 4xx failures for unknown formats, tables, foreign, hidden, deleted and unfinished runs", async () => {
    const execution = await createFinishedExecution(sam, {});
    expect(await exportExecution(sam, execution.id, { format: "xls" })).toMatchObject({ ok: false, code: "invalid_input", message: "Unknown format “xls”; choose csv, json or pdf." });
    expect(await exportExecution(sam, execution.id, { format: "csv", part: "everything" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await exportExecution(sam, execution.id, { format: "json", part: "log" })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await exportExecution(globexAdmin, execution.id, { format: "csv" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await exportExecution(lee, execution.id, { format: "pdf" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await exportExecution(sam, "not-a-uuid", { format: "csv" })).toMatchObject({ ok: false, code: "not_found" });

    const writer = await createFinishedExecution(sam, { agentId: "product-description-writer" });
    const metrics = await exportExecution(sam, writer.id, { format: "csv", part: "metrics" });
    expect(metrics).toMatchObject({ ok: false, code: "invalid_input" });
    expect(!metrics.ok && metrics.message).toContain("Product description writer runs have no CSV table “metrics”");

    const running = await createFinishedExecution(sam, { status: "running" });
    expect(await exportExecution(sam, running.id, { format: "csv" })).toMatchObject({ ok: false, code: "conflict" });

    const db = await getDb();
    await db.delete(executions).where(eq(executions.id, execution.id));
    expect(await exportExecution(sam, execution.id, { format: "csv" })).toMatchObject({ ok: false, code: "not_found" });
  });
});
