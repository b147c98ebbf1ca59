/**
 * Generated report files (F9, F16): every download is kept in the database, a chunk of a few
 * hundred kilobytes per row, for 30 days, and can be fetched again until then. A file is
 * written while it streams to the person who asked for it, so neither side ever holds it whole.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { executions, reportFileChunks, reportFiles, users, type ReportFormat } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";

export const reportFileRetentionDays = 30;
/** Bytes gathered before a chunk row is written and sent on. */
export const chunkTargetBytes = 1024 * 1024;
/** A file still unfinished this long after it began was abandoned (a crash mid-write). */
const abandonedAfterMs = 60 * 60 * 1000;

export type NewReportFile = {
  workspaceId: string;
  executionId: string | null;
  /** Null for a visitor through a share link. */
  createdBy: string | null;
  format: ReportFormat;
  part: string;
  fileName: string;
  contentType: string;
};

export type ReportFileSummary = {
  id: string;
  format: ReportFormat;
  part: string;
  fileName: string;
  sizeBytes: number;
  createdAt: Date;
  expiresAt: Date;
  createdByName: string | null;
};

export type StoredStream = { fileId: string; stream: ReadableStream<Uint8Array> };

/**
 * Chunks travel as base64 text that the database decodes (and are read back the same way):
 * bytea parameters go as hex, twice the bytes and, on PGlite, a JavaScript string per byte,
 * which made storing a file cost more than generating it. Node encodes and decodes base64
 * natively.
 */
function byteaFromBase64(bytes: Uint8Array): SQL<Buffer> {
  return sql<Buffer>`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}, 'base64')`;
}

/**
 * Streams `content` to the reader while storing it as a report file: each chunk is written to
 * the database, then handed on. The file is listed only once its last chunk is stored; if
 * generation fails or the reader goes away first, what was stored is removed.
 */
export async function storeWhileStreaming(file: NewReportFile, content: AsyncIterable<string | Uint8Array>, now = new Date()): Promise<StoredStream> {
  const db = await getDb();
  const [row] = await db
    .insert(reportFiles)
    .values({ ...file, sizeBytes: 0, expiresAt: new Date(now.getTime() + reportFileRetentionDays * 86_400_000) })
    .returning({ id: reportFiles.id });
  const fileId = row!.id;
  const source = content[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let seq = 0;
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let isFinished = false;
  // The chunk being written while the next one is generated; awaited before the one after.
  let storing: Promise<void> = Promise.resolve();

  const discard = async () => {
    isFinished = true;
    await storing.catch(() => {});
    await db.delete(reportFiles).where(eq(reportFiles.id, fileId)).catch(() => {});
  };
  const flush = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (pendingBytes === 0) return;
    // A batch of rows usually arrives as one piece of a megabyte or more: sent on as it is.
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    // Stored rows stay at most `chunkTargetBytes`, each sent (and turned into base64) in turn,
    // so a batch of several megabytes is never held a second and third time as text.
    const slices: { seq: number; bytes: Uint8Array }[] = [];
    for (let offset = 0; offset < bytes.length; offset += chunkTargetBytes) slices.push({ seq: seq++, bytes: bytes.subarray(offset, offset + chunkTargetBytes) });
    await storing;
    storing = (async () => {
      // The slices of one batch go side by side (on PostgreSQL, through separate connections).
      await Promise.all(slices.map((slice) => db.insert(reportFileChunks).values({ fileId, seq: slice.seq, content: byteaFromBase64(slice.bytes) })));
    })();
    storing.catch(() => {}); // handled where it is awaited; this only keeps Node from calling it unhandled
    size += bytes.length;
    controller.enqueue(bytes);
  };

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (pendingBytes < chunkTargetBytes) {
          const next = await source.next();
          if (next.done) {
            await flush(controller);
            await storing;
            await db.update(reportFiles).set({ sizeBytes: size, completedAt: sql`now()` }).where(eq(reportFiles.id, fileId));
            isFinished = true;
            controller.close();
            return;
          }
          const bytes = typeof next.value === "string" ? encoder.encode(next.value) : next.value;
          if (bytes.length === 0) continue;
          pending.push(bytes);
          pendingBytes += bytes.length;
        }
        await flush(controller);
      } catch (error) {
        await discard();
        controller.error(error);
      }
    },
    async cancel() {
      if (isFinished) return;
      await source.return?.();
      await discard();
    },
  });
  return { fileId, stream };
}

/** Report files of an execution this person can see, newest first, still within their 30 days. */
export async function listReportFiles(ctx: Ctx, executionId: string, limit = 20): Promise<ReportFileSummary[]> {
  if (!z.uuid().safeParse(executionId).success) return [];
  const db = await getDb();
  const rows = await db
    .select({
      id: reportFiles.id, format: reportFiles.format, part: reportFiles.part, fileName: reportFiles.fileName, sizeBytes: reportFiles.sizeBytes,
      createdAt: reportFiles.createdAt, expiresAt: reportFiles.expiresAt, createdByName: users.name,
    })
    .from(reportFiles)
    .innerJoin(executions, eq(executions.id, reportFiles.executionId))
    .leftJoin(users, eq(users.id, reportFiles.createdBy))
    .where(and(eq(reportFiles.executionId, executionId), eq(reportFiles.workspaceId, ctx.workspaceId), isNotNull(reportFiles.completedAt), gt(reportFiles.expiresAt, sql`now()`), visibleExecutions(ctx)))
    .orderBy(desc(reportFiles.createdAt), desc(reportFiles.id))
    .limit(limit);
  return rows;
}

export type StoredFile = { fileName: string; contentType: string; sizeBytes: number; stream: ReadableStream<Uint8Array> };

/**
 * A stored report file to download again, read back a chunk per query. Visible to whoever
 * can see its execution (a history export only to the person who made it); an expired one
 * answers `gone` until the purge removes it, then `not_found` like any unknown id.
 */
export async function openReportFile(ctx: Ctx, fileId: string): Promise<Outcome<StoredFile>> {
  const notFound = failure("not_found", "This report file was not found: it may have expired and been removed, or belong to a run you cannot see.");
  if (!z.uuid().safeParse(fileId).success) return notFound;
  const db = await getDb();
  const [file] = await db
    .select({ id: reportFiles.id, fileName: reportFiles.fileName, contentType: reportFiles.contentType, sizeBytes: reportFiles.sizeBytes, expiresAt: reportFiles.expiresAt, isExpired: sql<boolean>`${reportFiles.expiresAt} <= now()` })
    .from(reportFiles)
    .leftJoin(executions, eq(executions.id, reportFiles.executionId))
    .where(and(
      eq(reportFiles.id, fileId),
      eq(reportFiles.workspaceId, ctx.workspaceId),
      isNotNull(reportFiles.completedAt),
      or(and(isNull(reportFiles.executionId), eq(reportFiles.createdBy, ctx.userId)), and(isNotNull(reportFiles.executionId), visibleExecutions(ctx))),
    ))
    .limit(1);
  if (!file) return notFound;
  if (file.isExpired) return failure("gone", `This report file expired on ${file.expiresAt.toISOString().slice(0, 10)} (files are kept ${reportFileRetentionDays} days). Download the run again to make a new one.`);
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const [chunk] = await db
        .select({ content: sql<string>`encode(${reportFileChunks.content}, 'base64')` })
        .from(reportFileChunks)
        .where(and(eq(reportFileChunks.fileId, file.id), eq(reportFileChunks.seq, next)))
        .limit(1);
      if (!chunk) return controller.close();
      next++;
      controller.enqueue(new Uint8Array(Buffer.from(chunk.content, "base64")));
    },
  });
  return { ok: true, fileName: file.fileName, contentType: file.contentType, sizeBytes: file.sizeBytes, stream };
}

/**
 * Removes report files past their expiry, and files whose generation was abandoned, with their
 * chunks, a few hundred at a time so no statement holds many locks. Run by a scheduled function.
 */
export async function purgeExpiredReportFiles(now = new Date(), batchSize = 200): Promise<{ removed: number }> {
  const db = await getDb();
  let removed = 0;
  for (;;) {
    const due = await db
      .select({ id: reportFiles.id })
      .from(reportFiles)
      .where(or(lte(reportFiles.expiresAt, now), and(isNull(reportFiles.completedAt), lte(reportFiles.createdAt, new Date(now.getTime() - abandonedAfterMs)))))
      .orderBy(asc(reportFiles.expiresAt))
      .limit(batchSize);
    if (due.length === 0) return { removed };
    const deleted = await db.delete(reportFiles).where(inArray(reportFiles.id, due.map((f) => f.id))).returning({ id: reportFiles.id });
    removed += deleted.length;
    if (due.length < batchSize) return { removed };
  }
}
