import { z } from "zod";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { agentCatalog, agentName, isAgentId } from "@/lib/agents/catalog";
import type { Ctx } from "@/lib/auth/context";
import { isLive } from "@/lib/executions/permissions";
import { getVisibleExecution } from "@/lib/executions/queries";
import { failure, type Outcome } from "@/lib/outcome";
import { executionCsv } from "./execution-csv";
import { executionJson } from "./execution-json";
import { executionPdf, pdfTurns } from "./execution-pdf";
import { loadExportSource } from "./export-source";
import { reportFileName } from "./file-name";
import { contentTypes, csvPartLabels, csvPartsFor, exportFormats, type CsvPart, type ExportFormat } from "./formats";
import { storeWhileStreaming, type ReportFileWriter } from "./report-files";
import { generationsByKey } from "./shared-generation";

export type ExportedFile = { fileId: string; fileName: string; contentType: string; stream: ReadableStream<Uint8Array> };

/** PDFs being made for link visitors in this process, by link and execution. */
const linkPdfsUnderWay = generationsByKey<{ ok: true } & ExportedFile>();

const formatSchema = z.enum(exportFormats, { error: (issue) => `Unknown format “${String(issue.input)}”; choose csv, json or pdf.` });

/**
 * Downloads one execution this person can see, as CSV (one table, `part`), JSON or PDF; the
 * file streams out as it is generated and is kept as a report file for 30 days. A run still
 * going has nothing final to download yet; a table the agent does not produce is refused
 * with the ones it does.
 */
export async function exportExecution(ctx: Ctx, executionId: string, input: { format: string; part?: string | null }, now = new Date()): Promise<Outcome<ExportedFile>> {
  const format = formatSchema.safeParse(input.format);
  if (!format.success) return failure("invalid_input", format.error.issues[0]!.message);
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution) return failure("not_found", "Execution not found: it may have been deleted, or belong to a workspace you are not in.");
  if (isLive(execution)) return failure("conflict", "This run has not finished yet; its downloads are ready once it does.");
  const part = choosePart(execution.agentId, format.data, input.part ?? null);
  if (!part.ok) return part;

  const generate = async (): Promise<Outcome<ExportedFile>> => {
    if (format.data === "pdf" && pdfTurns.isFull()) {
      return failure("unavailable", "Runlog is making many PDF reports at once right now; try again in a minute (the CSV and JSON downloads are ready at once).");
    }

    const source = await loadExportSource(ctx, execution);
    const content = (into: ReportFileWriter) =>
      format.data === "csv" ? executionCsv(source, part.part!, into) : format.data === "json" ? executionJson(source, now, into) : executionPdf(source, now);
    const fileName = reportFileName({
      agentId: execution.agentId,
      startedAt: execution.startedAt ?? execution.createdAt,
      executionId: execution.id,
      format: format.data,
      // The agent's main table keeps the plain name; the others add theirs.
      part: part.part && part.part !== csvPartsFor(execution.agentId)[0] ? part.part : null,
    });
    const contentType = contentTypes[format.data];
    const stored = await storeWhileStreaming(ctx, { executionId: execution.id, format: format.data, part: part.part ?? "report", fileName, contentType }, content, now);
    return { ok: true, fileId: stored.fileId, fileName, contentType, stream: stored.stream };
  };
  // Visitors of one link downloading its PDF at the same moment (a link sent to a team) share
  // one generation and one stored file: each PDF holds the web process's thread for a second or
  // more, and fifty made one by one kept the last visitor waiting about a minute.
  if (format.data !== "pdf" || !ctx.linkShare) return generate();
  const exported = await linkPdfsUnderWay.joinOrStart(`${ctx.linkShare.shareId}:${execution.id}`, generate);
  if (!exported.ok || !exported.isJoined) return exported;
  const db = await getDb();
  await recordAudit(db, ctx, { action: "export.downloaded", target: exported.fileId, data: { executionId: execution.id, format: "pdf", part: "report", fileName: exported.fileName, joinedADownloadUnderWay: true } });
  return exported;
}

function choosePart(agentId: string, format: ExportFormat, requested: string | null): Outcome<{ part: CsvPart | null }> {
  if (format !== "csv") {
    if (requested) return failure("invalid_input", `Only CSV downloads are split into tables; a ${format.toUpperCase()} download holds the whole run, so leave out “part”.`);
    return { ok: true, part: null };
  }
  const offered = csvPartsFor(agentId);
  if (!requested) return { ok: true, part: offered[0]! };
  const part = offered.find((p) => p === requested);
  if (part) return { ok: true, part };
  const name = isAgentId(agentId) ? agentCatalog[agentId].name : agentName(agentId);
  return failure("invalid_input", `${name} runs have no CSV table “${requested}”; choose ${offered.map((p) => `${p} (${csvPartLabels[p].toLowerCase()})`).join(", ")}.`);
}
