/**
 * `npm run bench:export`: downloads as people make them (lib/exports/export-execution.ts:
 * generated, streamed and stored as a report file, chunk by chunk), on PostgreSQL
 * (BENCH_EXPORT_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/runlog_bench_export,
 * recreated and dropped) and on PGlite in a temporary folder (BENCH_EXPORT_PGLITE=0 skips it).
 *
 * - CSV and JSON of an execution with 100,000 recommendations (BENCH_EXPORT_ROWS): rows/s and
 *   peak RSS growth over the process's RSS just before the download. Target ≥ 100,000 rows/s,
 *   ≤ 100 MB. Each is run BENCH_EXPORT_RUNS times (default 3): the table gives the median run,
 *   the range of all, and the highest RSS growth of any.
 * - PDF of an execution with 2,000 recommendations: seconds and pages. Target ≤ 5 s.
 *
 * Rows are written by the database itself (INSERT … SELECT generate_series) with texts that
 * need quoting: commas, quotes, line breaks, accents and CJK.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { closeDatabase, getDb, installDatabase, openDatabase, type DatabaseConfig } from "@/db/client";
import { actionItems, executionResults, executions, memberships, users, workspaces } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution } from "@/lib/executions/queries";
import { executionCsv } from "@/lib/exports/execution-csv";
import { executionJson } from "@/lib/exports/execution-json";
import { executionPdf } from "@/lib/exports/execution-pdf";
import { exportExecution } from "@/lib/exports/export-execution";
import { loadExportSource } from "@/lib/exports/export-source";
import { readPdf } from "@/lib/exports/testing/read-pdf";
import { scratchDatabase } from "./harness";

const bigRows = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const pdfRows = 2_000;
const targets = { rowsPerSecond: 100_000, rssGrowthMb: 100, pdfSeconds: 5 };

const runs = Math.max(1, Number(process.env.BENCH_EXPORT_RUNS ?? 3));

type Result = { backend: string; case: string; rows: number; seconds: number; cpuSeconds: number; rowsPerSecond: number; range: string; rssGrowthMb: number; megabytes: number; pages?: number; pass: boolean | null };

async function seedExecution(ctx: Ctx, recommendationCount: number, withReport: boolean): Promise<string> {
  const db = await getDb();
  const executionId = randomUUID();
  const startedAt = new Date(Date.now() - 3_600_000);
  await db.insert(executions).values({
    id: executionId, workspaceId: ctx.workspaceId, agentId: "seo-audit", agentVersion: "1.4.0", status: "completed",
    settings: { includePages: true, includeProducts: true }, scope: { mode: "all", maxItems: recommendationCount },
    itemsTotal: recommendationCount, itemsProcessed: recommendationCount, creditsReserved: 5 + 2 * recommendationCount, creditsCharged: 5 + 2 * recommendationCount,
    preview: `${recommendationCount} changes suggested`, triggeredBy: ctx.userId, createdAt: startedAt, startedAt, finishedAt: new Date(startedAt.getTime() + 600_000),
  });
  await db.execute(sql`
    insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, before_value, after_value, priority, status, rationale)
    select ${executionId}, ${ctx.workspaceId}, 'page', 'page:' || g, 'Seite ' || g || ', "Größe" 日本語',
      (array['title', 'meta_description', 'h1'])[1 + g % 3],
      case when g % 4 = 0 then null else 'Old title ' || g || E', with a comma\nand a second line' end,
      'Neuer Titel für Seite ' || g || ' — Übersicht, “quoted”',
      (array['high', 'medium', 'low'])[1 + g % 3]::priority,
      (array['pending', 'approved', 'applied'])[1 + g % 3]::recommendation_status,
      case when g % 50 = 0 then '=HYPERLINK("http://example.test")' else 'Titles should be 30–60 characters; this one has ' || (g % 90) || '.' end
    from generate_series(1, ${recommendationCount}) g`);
  await db.execute(sql`
    insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, score)
    select ${executionId}, ${ctx.workspaceId}, 'page', 'page:' || g, 'Seite ' || g, 'processed', (g % 100)::real
    from generate_series(1, least(${recommendationCount}, 2000)) g`);
  await db.execute(sql`
    insert into execution_logs (execution_id, workspace_id, seq, level, step, message, data)
    select ${executionId}, ${ctx.workspaceId}, g, (case when g % 97 = 0 then 'warn' else 'info' end)::log_level, 'batch ' || (g / 10), 'Processed item ' || g, jsonb_build_object('items', 10)
    from generate_series(1, 500) g`);
  if (withReport) {
    await db.insert(actionItems).values(Array.from({ length: 20 }, (_, i) => ({ executionId, workspaceId: ctx.workspaceId, position: i, priority: (["high", "medium", "low"] as const)[i % 3]!, title: `Fix ${i}`, detail: "Do the thing, then check it again." })));
    await db.insert(executionResults).values([
      { executionId, workspaceId: ctx.workspaceId, kind: "scores", title: "Scores", position: 0, payload: { metrics: [{ key: "seo", label: "SEO score", value: 71, scale: { min: 0, max: 100 }, isHigherBetter: true, meaning: "Higher is better" }] } },
      { executionId, workspaceId: ctx.workspaceId, kind: "recommendations", title: "Suggested changes", position: 1, payload: { count: recommendationCount, summary: `${recommendationCount} changes suggested` } },
      {
        executionId, workspaceId: ctx.workspaceId, kind: "report", title: "Audit report", position: 2,
        payload: {
          summary: "Most titles are too long.",
          tables: [{ title: "Issues by type", columns: ["Type", "Count"], rows: [["title", 900], ["meta", 700], ["h1", 400]] }],
          charts: [{ title: "Issues by type", type: "bar", series: [{ name: "issues", points: [{ x: "title", y: 900 }, { x: "meta", y: 700 }, { x: "h1", y: 400 }] }] }],
        },
      },
    ]);
  }
  return executionId;
}

async function seed(): Promise<Ctx> {
  const db = await getDb();
  const workspaceId = randomUUID();
  const userId = randomUUID();
  await db.insert(workspaces).values({ id: workspaceId, name: "Bench export", slug: `bench-export-${workspaceId.slice(0, 8)}` });
  await db.insert(users).values({ id: userId, email: `admin-${workspaceId.slice(0, 8)}@bench-export.test`, name: "Bench admin", passwordHash: "x" });
  await db.insert(memberships).values({ workspaceId, userId, role: "admin" });
  return { userId, workspaceId, role: "admin" };
}

/** Runs one download to its end, sampling RSS every 5 ms; the bytes are counted, kept only for a PDF. */
type Measured = { seconds: number; cpuSeconds: number; rssGrowthMb: number; bytes: number; pdf: Buffer | null };

const perSecond = (n: number) => Math.round(n).toLocaleString("en");

async function measure(ctx: Ctx, executionId: string, format: "csv" | "json" | "pdf", isStored = true): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const reader = (isStored ? await storedDownload(ctx, executionId, format) : await generatedOnly(ctx, executionId, format)).getReader();
  let bytes = 0;
  const kept: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (format === "pdf") kept.push(value);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssGrowthMb: (peak - baseline) / 1024 / 1024, bytes, pdf: format === "pdf" ? Buffer.concat(kept) : null };
}

/** The download as people get it: generated, streamed and stored as a report file. */
async function storedDownload(ctx: Ctx, executionId: string, format: "csv" | "json" | "pdf"): Promise<ReadableStream<Uint8Array>> {
  const exported = await exportExecution(ctx, executionId, { format, part: format === "csv" ? "recommendations" : null });
  if (!exported.ok) throw new Error(exported.message);
  return exported.stream;
}

/** The same bytes without storing them: what generation alone costs. */
async function generatedOnly(ctx: Ctx, executionId: string, format: "csv" | "json" | "pdf"): Promise<ReadableStream<Uint8Array>> {
  const execution = await getVisibleExecution(ctx, executionId);
  const source = await loadExportSource(ctx, execution!);
  const content = format === "csv" ? executionCsv(source, "recommendations") : format === "json" ? executionJson(source) : executionPdf(source);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await content.next();
      if (next.done) controller.close();
      else if (typeof next.value === "string") controller.enqueue(encoder.encode(next.value));
      else controller.enqueue("stored" in next.value ? next.value.stored : next.value);
    },
  });
}

/** Pages as a PDF viewer counts them (pdfjs-dist, so the benchmark needs nothing from apt). */
async function pageCount(pdf: Buffer): Promise<number> {
  return (await readPdf(pdf)).pages.length;
}

async function runBackend(backend: string, config: DatabaseConfig): Promise<Result[]> {
  const database = await openDatabase(config);
  installDatabase(database);
  const results: Result[] = [];
  try {
    await database.migrate();
    const ctx = await seed();
    const seededAt = performance.now();
    const big = await seedExecution(ctx, bigRows, false);
    const small = await seedExecution(ctx, pdfRows, true);
    // As autovacuum would have by the time anyone downloads (this machine's server runs without it).
    await database.db.execute(sql`analyze`);
    console.log(`${backend}: seeded ${bigRows.toLocaleString("en")} + ${pdfRows.toLocaleString("en")} recommendations in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);
    // One warm-up download each, so the figures leave out first-use costs (module loads, the font read).
    await measure(ctx, small, "csv");
    await measure(ctx, small, "pdf");
    for (const format of ["csv", "json"] as const) {
      for (const isStored of [true, false]) {
        const all: Measured[] = [];
        for (let run = 0; run < runs; run++) all.push(await measure(ctx, big, format, isStored));
        all.sort((a, b) => a.seconds - b.seconds);
        const m = all[Math.floor((all.length - 1) / 2)]!;
        const rowsPerSecond = bigRows / m.seconds;
        const rssGrowthMb = Math.max(...all.map((a) => a.rssGrowthMb));
        results.push({
          backend, case: isStored ? `${format.toUpperCase()} ${bigRows.toLocaleString("en")} recs` : `(${format.toUpperCase()} generated only, not stored)`,
          rows: bigRows, seconds: m.seconds, cpuSeconds: m.cpuSeconds, rowsPerSecond, rssGrowthMb, megabytes: m.bytes / 1024 / 1024,
          range: all.length > 1 ? `${perSecond(bigRows / all.at(-1)!.seconds)}–${perSecond(bigRows / all[0]!.seconds)}` : "—",
          pass: isStored ? rowsPerSecond >= targets.rowsPerSecond && rssGrowthMb <= targets.rssGrowthMb : null,
        });
      }
    }
    const pdf = await measure(ctx, small, "pdf");
    results.push({
      backend, case: `PDF ${pdfRows.toLocaleString("en")} recs`, rows: pdfRows, seconds: pdf.seconds, cpuSeconds: pdf.cpuSeconds, rowsPerSecond: pdfRows / pdf.seconds, range: "—", rssGrowthMb: pdf.rssGrowthMb, megabytes: pdf.bytes / 1024 / 1024,
      pages: await pageCount(pdf.pdf!), pass: pdf.seconds <= targets.pdfSeconds,
    });
  } finally {
    await closeDatabase();
  }
  return results;
}

async function main() {
  const url = process.env.BENCH_EXPORT_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/runlog_bench_export";
  const results: Result[] = [];
  const scratch = await scratchDatabase(url);
  try {
    results.push(...(await runBackend("PostgreSQL", { kind: "postgres", url })));
  } finally {
    await scratch.finish();
  }
  if (process.env.BENCH_EXPORT_PGLITE !== "0") {
    // In a folder, as `npm run dev` runs it: in memory, the database's files (stored downloads
    // among them) would count toward the app's RSS.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-bench-export-"));
    try {
      results.push(...(await runBackend("PGlite", { kind: "pglite", dataDir: path.join(folder, "pglite") })));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  console.log(`\nTargets: CSV and JSON ≥ ${targets.rowsPerSecond.toLocaleString("en")} rows/s with RSS growth ≤ ${targets.rssGrowthMb} MB; PDF ≤ ${targets.pdfSeconds} s\n`);
  console.log(`Load average when done: ${os.loadavg().map((n) => n.toFixed(1)).join(", ")} on ${os.cpus().length} cores (other work slows every figure).\n`);
  console.log(`| Backend | Download | Time | App CPU | Rows/s | Rows/s, ${runs} runs | Peak RSS growth | Size | Pages | Target |`);
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    console.log(`| ${r.backend} | ${r.case} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${perSecond(r.rowsPerSecond)} | ${r.range} | ${r.rssGrowthMb.toFixed(0)} MB | ${r.megabytes.toFixed(1)} MB | ${r.pages ?? "—"} | ${r.pass === null ? "—" : r.pass ? "met" : "missed"} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
