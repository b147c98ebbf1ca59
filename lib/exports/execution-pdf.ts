import { and, asc, count, eq, gt, inArray } from "drizzle-orm";
import PDFDocument from "pdfkit";
import { getDb } from "@/db/client";
import { executionLogs, recommendations, type Priority } from "@/db/schema";
import { actionItemBatches, logColumnsFor, recommendationBatches, type ExportLogLine } from "./execution-rows";
import type { ExportSource } from "./export-source";
import { turns } from "./turns";
import { clip, colors, contentWidth, drawBars, drawChart, heading, numberPages, paragraph, PdfTable, embedReportFont, type Pdf } from "./pdf-layout";

/**
 * The PDF report of an execution: a cover (agent, workspace, date, status, credits unless a
 * share link hides them), a summary with its key figures as charts, the agent's report (charts
 * and tables), the recommendations with before and after, the action items and an excerpt of
 * the processing log, every page numbered. Recommendations are read a keyset batch at a time
 * in the page's order (high priority first, then by item); beyond `pdfRecommendationLimit` the
 * report says how many more the CSV holds.
 */
const pdfRecommendationLimit = 5000;
const logExcerptLines = 30;
const priorities: Priority[] = ["high", "medium", "low"];

/**
 * A PDF is laid out on the process's one thread and held whole until its pages are numbered, so
 * a process makes two at a time; the others wait their turn, and past 50 waiting the download is
 * refused with a sentence (`exportExecution`) rather than queued for minutes.
 */
export const pdfTurns = turns({ atOnce: 2, waiting: 50 });

export async function* executionPdf(source: ExportSource, now = new Date()): AsyncGenerator<Uint8Array> {
  const giveBack = await pdfTurns.take();
  try {
    yield* layOut(source, now);
  } finally {
    giveBack();
  }
}

async function* layOut(source: ExportSource, now: Date): AsyncGenerator<Uint8Array> {
  const { overview } = source;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    bufferPages: true,
    info: { Title: `${overview.agent.name} — ${overview.workspace.name}`, Author: "Runlog", Subject: `Execution ${overview.id}`, CreationDate: now },
  });
  embedReportFont(doc);
  await writeReport(doc, source, now);
  numberPages(doc, `Runlog · ${overview.agent.name} · ${overview.id}`);
  doc.end();
  for await (const chunk of doc as AsyncIterable<Buffer>) yield chunk;
}

async function writeReport(doc: Pdf, source: ExportSource, now: Date): Promise<void> {
  const counts = await countByPriorityAndStatus(source.execution.id);
  writeCover(doc, source, now);
  doc.addPage();
  writeSummary(doc, source, counts);
  for (const block of source.results) {
    if (block.kind !== "report") continue;
    heading(doc, block.title);
    paragraph(doc, block.report.summary);
    for (const chart of block.report.charts) drawChart(doc, chart);
    for (const table of block.report.tables) {
      paragraph(doc, table.title, { size: 10 });
      const pdfTable = new PdfTable(doc, table.columns.map((header) => ({ header, width: 1 }))).begin();
      pdfTable.addRows(table.rows.map((row) => row.map((cell) => clip(cell, 200))));
      pdfTable.end();
    }
  }
  await writeRecommendations(doc, source, counts.total);
  await writeActionItems(doc, source);
  await writeLogExcerpt(doc, source);
}

function writeCover(doc: Pdf, { overview, execution }: ExportSource, now: Date): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 8).fillColor(colors.accent).fill();
  doc.y = 150;
  doc.fontSize(11).fillColor(colors.accent).text("RUNLOG · EXECUTION REPORT", left, doc.y, { width, characterSpacing: 1 });
  doc.moveDown(0.8);
  doc.fontSize(30).fillColor(colors.text).text(overview.agent.name, left, doc.y, { width });
  doc.fontSize(14).fillColor(colors.muted).text(overview.workspace.name, left, doc.y, { width });
  doc.moveDown(2);
  const startedAt = execution.startedAt ?? execution.createdAt;
  const facts: [string, string][] = [
    ["Date", `${startedAt.toISOString().slice(0, 10)} ${startedAt.toISOString().slice(11, 16)} UTC`],
    ["Status", overview.status],
    ...(overview.credits ? [["Credits", `${overview.credits.charged} charged · ${overview.credits.reserved} reserved · ${overview.credits.refunded} refunded`] as [string, string]] : []),
    ["Duration", overview.durationMs === null ? "—" : `${(overview.durationMs / 1000).toLocaleString("en-US")} s`],
    ["Items", `${overview.items.processed} processed · ${overview.items.failed} failed · ${overview.items.total} in scope`],
    ["Triggered by", overview.triggeredBy.workflow ? `Workflow “${overview.triggeredBy.workflow}”` : overview.triggeredBy.user ?? "—"],
    ...(overview.rerunOf ? [["Re-run of", overview.rerunOf] as [string, string]] : []),
    ["Agent version", overview.agent.version],
    ["Execution ID", overview.id],
    ["Generated", `${now.toISOString().slice(0, 16).replace("T", " ")} UTC`],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.fontSize(10).fillColor(colors.muted).text(label, left, y, { width: 110 });
    doc.fontSize(11).fillColor(colors.text).text(value, left + 120, y, { width: width - 120 });
    doc.moveDown(0.5);
  }
}

type Counts = { total: number; byPriority: Record<Priority, number>; byStatus: Map<string, number> };

async function countByPriorityAndStatus(executionId: string): Promise<Counts> {
  const db = await getDb();
  const rows = await db
    .select({ priority: recommendations.priority, status: recommendations.status, n: count() })
    .from(recommendations)
    .where(eq(recommendations.executionId, executionId))
    .groupBy(recommendations.priority, recommendations.status);
  const counts: Counts = { total: 0, byPriority: { high: 0, medium: 0, low: 0 }, byStatus: new Map() };
  for (const row of rows) {
    counts.total += row.n;
    counts.byPriority[row.priority] += row.n;
    counts.byStatus.set(row.status, (counts.byStatus.get(row.status) ?? 0) + row.n);
  }
  return counts;
}

function writeSummary(doc: Pdf, { overview, results }: ExportSource, counts: Counts): void {
  heading(doc, "Summary", 18);
  if (overview.preview) paragraph(doc, overview.preview, { size: 11 });
  if (overview.error) {
    paragraph(doc, `Error (${overview.error.code}): ${overview.error.message ?? ""}`, { color: "#be123c" });
    if (overview.error.hint) paragraph(doc, overview.error.hint, { color: "#be123c" });
  }
  for (const block of results) {
    if (block.kind === "report") paragraph(doc, `${block.title}: ${block.report.summary}`);
    else if (block.kind !== "scores") paragraph(doc, `${block.title}: ${block.summary.summary}`);
  }
  for (const block of results) {
    if (block.kind !== "scores") continue;
    drawBars(doc, block.title, block.metrics.map((m) => ({
      label: m.label,
      value: m.value - m.scale.min,
      max: m.scale.max - m.scale.min,
      note: `${m.value}${m.unit ? ` ${m.unit}` : ""}${typeof m.previousValue === "number" ? ` (was ${m.previousValue}${m.verdict ? `, ${m.verdict}` : ""})` : ""}`,
    })));
  }
  if (counts.total > 0) {
    drawBars(doc, `Recommendations by priority (${counts.total})`, priorities.map((p) => ({ label: p, value: counts.byPriority[p], max: counts.total, note: String(counts.byPriority[p]) })));
    drawBars(doc, "Recommendations by status", [...counts.byStatus].map(([status, n]) => ({ label: status, value: n, max: counts.total, note: String(n) })));
  }
}

async function writeRecommendations(doc: Pdf, { execution }: ExportSource, total: number): Promise<void> {
  if (total === 0) return;
  heading(doc, `Recommendations (${total})`);
  if (total > pdfRecommendationLimit) {
    paragraph(doc, `The first ${pdfRecommendationLimit.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}, high priority first; the CSV download lists them all.`, { color: colors.muted });
  }
  const table = new PdfTable(doc, [
    { header: "Priority · status", width: 12 },
    { header: "Item · field", width: 20 },
    { header: "Before", width: 22 },
    { header: "After", width: 22 },
    { header: "Why", width: 24 },
  ]).begin();
  let left = pdfRecommendationLimit;
  for (const priority of priorities) {
    for await (const batch of recommendationBatches(execution.id, { priority, limit: left, batchSize: 200 })) {
      left -= batch.length;
      table.addRows(batch.map((r) => [
        `${r.priority} · ${r.status}`,
        `${clip(r.itemLabel, 120)}\n${r.field}`,
        clip(r.beforeValue, 400),
        clip(r.editedValue ?? r.afterValue, 400),
        clip(r.rationale, 300),
      ]));
    }
    if (left <= 0) break;
  }
  table.end();
}

async function writeActionItems(doc: Pdf, { execution, disclosure }: ExportSource): Promise<void> {
  let table: PdfTable | null = null;
  for await (const batch of actionItemBatches(execution.id, { disclosure })) {
    if (!table) {
      heading(doc, "Action items");
      table = new PdfTable(doc, [
        { header: "Priority", width: 10 },
        { header: "Action", width: 30 },
        { header: "Detail", width: 50 },
        { header: "Done", width: 10 },
      ]).begin();
    }
    table.addRows(batch.map((a) => [a.priority, clip(a.title, 200), clip(a.detail, 500), a.isDone ? `yes${a.doneAt ? ` (${a.doneAt.slice(0, 10)}${a.doneByName ? `, ${a.doneByName}` : ""})` : ""}` : "no"]));
  }
  table?.end();
}

/** The log's first lines, then its warnings and errors after them (where a run went wrong). */
async function writeLogExcerpt(doc: Pdf, { execution, disclosure }: ExportSource): Promise<void> {
  const db = await getDb();
  const columns = logColumnsFor(disclosure);
  const first: ExportLogLine[] = await db.select(columns).from(executionLogs).where(eq(executionLogs.executionId, execution.id)).orderBy(asc(executionLogs.seq)).limit(logExcerptLines);
  if (first.length === 0) return;
  const problems: ExportLogLine[] = await db
    .select(columns)
    .from(executionLogs)
    .where(and(eq(executionLogs.executionId, execution.id), gt(executionLogs.seq, first.at(-1)!.seq), inArray(executionLogs.level, ["warn", "error"])))
    .orderBy(asc(executionLogs.seq))
    .limit(logExcerptLines);
  heading(doc, "Processing log (excerpt)");
  paragraph(doc, `The first ${first.length} lines${problems.length ? `, then ${problems.length} warning and error lines after them` : ""}. The CSV and JSON downloads hold the whole log.`, { color: colors.muted, size: 9 });
  const table = new PdfTable(doc, [
    { header: "#", width: 6, align: "right" },
    { header: "Time (UTC)", width: 14 },
    { header: "Level", width: 8 },
    { header: "Step", width: 14 },
    { header: "Message", width: 58 },
  ], { fontSize: 7 }).begin();
  table.addRows([...first, ...problems].map((l) => [String(l.seq), l.at.slice(11, 23), l.level, clip(l.step, 40), clip(l.message, 300)]));
  table.end();
}
