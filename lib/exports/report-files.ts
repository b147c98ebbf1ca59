/**
 * Generated report files (F9, F16): every download is kept in the database, a chunk of up to a
 * few megabytes per row, for 30 days, and can be fetched again until then. A file is
 * written while it streams to the person who asked for it, so neither side ever holds it whole.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { briefRetryDelaysMs, getDb, retryOnConnectionLoss } from "@/db/client";
import { executions, reportFileChunks, reportFiles, users, type ReportFormat } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import type { Ctx } from "@/lib/auth/context";
import { visibleExecutions } from "@/lib/executions/visibility";
import { failure, type Outcome } from "@/lib/outcome";

export const reportFileRetentionDays = 30;
/** Bytes gathered before a chunk row is written and sent on. */
const chunkTargetBytes = 1024 * 1024;
/** A file still unfinished this long after it began was abandoned (a crash mid-write). */
const abandonedAfterMs = 60 * 60 * 1000;

export type NewReportFile = {
  executionId: string | null;
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
 * What a file's content may hand to `storeWhileStreaming`: text or bytes for it to store, or
 * `{ stored }`, bytes the content already wrote into the file itself (see `ReportFileWriter`).
 */
export type FilePiece = string | Uint8Array | { stored: Uint8Array };

/**
 * Lets a file's content store a large piece in the same statement that builds it (a batch of
 * rows made by the database, lib/exports/row-text.ts), so its bytes are not sent back to the
 * database a second time, which cost more than making them.
 */
export type ReportFileWriter = {
  fileId: string;
  /**
   * The chunk number under which the caller will store its next piece, to yield it as
   * `{ stored }` once written. What was yielded before is numbered (and stored) first; until
   * the claimed piece is yielded, nothing else may be, except pieces claimed earlier. A
   * claimed chunk left unwritten (an empty batch) is a gap that readers skip.
   */
  claimChunk: () => number;
};

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
 * Streams `content` to the reader while storing it as a report file made by `ctx` (recorded in
 * the audit log): each chunk is written to the database, then handed on. The file is listed only
 * once its last chunk is stored; if generation fails or the reader goes away first, what was
 * stored is removed. A database connection cut meanwhile is bridged: every write here can be
 * repeated (the file's id is chosen here, chunks are stored by number and kept if already there),
 * so each is tried again on a fresh connection (`bridgingConnectionCuts`).
 */
export async function storeWhileStreaming(ctx: Ctx, file: NewReportFile, content: (writer: ReportFileWriter) => AsyncIterable<FilePiece>, now = new Date()): Promise<StoredStream> {
  const db = await getDb();
  const fileId = randomUUID();
  await bridgingConnectionCuts(() =>
    db.transaction(async (tx) => {
      const [row] = await tx
        .insert(reportFiles)
        // A visitor through a share link is no member, so the file names none as its maker.
        .values({ ...file, id: fileId, workspaceId: ctx.workspaceId, createdBy: ctx.linkShare ? null : ctx.userId, sizeBytes: 0, expiresAt: new Date(now.getTime() + reportFileRetentionDays * 86_400_000) })
        // Already there: a try whose commit was answered on a connection cut before the answer arrived.
        .onConflictDoNothing()
        .returning({ id: reportFiles.id });
      if (row) await recordAudit(tx, ctx, { action: "export.downloaded", target: row.id, data: { executionId: file.executionId, format: file.format, part: file.part, fileName: file.fileName } });
    }),
  );
  const encoder = new TextEncoder();
  let seq = 0;
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let isFinished = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // The chunks being written while the next ones are generated; awaited before generating more.
  let storing: Promise<void> = Promise.resolve();

  const discard = async () => {
    isFinished = true;
    await storing.catch(() => {});
    await bridgingConnectionCuts(() => db.delete(reportFiles).where(eq(reportFiles.id, fileId))).catch(() => {});
  };
  /** Numbers what is pending, starts storing it after the chunks before it, and sends it on. */
  const flush = () => {
    if (pendingBytes === 0) return;
    // A single piece (often a megabyte or more) is sent on as it is.
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    // Rows stored from here stay at most `chunkTargetBytes`, so a piece of several megabytes is
    // never held a second and third time as base64 text.
    const slices: { seq: number; bytes: Uint8Array }[] = [];
    for (let offset = 0; offset < bytes.length; offset += chunkTargetBytes) slices.push({ seq: seq++, bytes: bytes.subarray(offset, offset + chunkTargetBytes) });
    // The slices go side by side (on PostgreSQL, through separate connections).
    const store = (slice: (typeof slices)[number]) =>
      bridgingConnectionCuts(() => db.insert(reportFileChunks).values({ fileId, seq: slice.seq, content: byteaFromBase64(slice.bytes) }).onConflictDoNothing());
    storing = storing.then(() => Promise.all(slices.map(store)).then(() => {}));
    storing.catch(() => {}); // handled where it is awaited; this only keeps Node from calling it unhandled
    size += bytes.length;
    controller.enqueue(bytes);
  };
  const source = content({
    fileId,
    claimChunk: () => {
      flush();
      return seq++;
    },
  })[Symbol.asyncIterator]();

  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    async pull() {
      try {
        await storing;
        while (pendingBytes < chunkTargetBytes) {
          const next = await source.next();
          if (next.done) {
            flush();
            await storing;
            await bridgingConnectionCuts(() => db.update(reportFiles).set({ sizeBytes: size, completedAt: sql`now()` }).where(eq(reportFiles.id, fileId)));
            if (ctx.linkShare && file.executionId) await bridgingConnectionCuts(() => dropEarlierLinkCopies(fileId, file.executionId!, file));
            isFinished = true;
            controller.close();
            return;
          }
          const piece = next.value;
          if (typeof piece === "object" && "stored" in piece) {
            size += piece.stored.length;
            controller.enqueue(piece.stored);
            return;
          }
          const bytes = typeof piece === "string" ? encoder.encode(piece) : piece;
          if (bytes.length === 0) continue;
          pending.push(bytes);
          pendingBytes += bytes.length;
        }
        flush();
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

/**
 * Runs a download's database work (a read, or a write that can be repeated) again on a fresh
 * connection when its connection was cut, for a few seconds: the person is waiting on it.
 */
export function bridgingConnectionCuts<T>(work: () => Promise<T>): Promise<T> {
  return retryOnConnectionLoss(work, briefRetryDelaysMs);
}

/**
 * Downloads through share links (made by no member) keep only their newest copy of each file
 * of a run: anyone holding a link could otherwise fill the database with copies. Copies still
 * being written are left alone; a member's own downloads are each kept.
 */
async function dropEarlierLinkCopies(fileId: string, executionId: string, file: Pick<NewReportFile, "format" | "part">): Promise<void> {
  const db = await getDb();
  await db
    .delete(reportFiles)
    .where(
      and(
        eq(reportFiles.executionId, executionId),
        eq(reportFiles.format, file.format),
        eq(reportFiles.part, file.part),
        isNull(reportFiles.createdBy),
        isNotNull(reportFiles.completedAt),
        lte(reportFiles.createdAt, sql`(select ${reportFiles.createdAt} from ${reportFiles} where ${reportFiles.id} = ${fileId})`),
        sql`${reportFiles.id} <> ${fileId}`,
      ),
    );
}

/** Report files of an execution this person can see, newest first, still within their 30 days. */
export async function listReportFiles(ctx: Ctx, executionId: string, limit = 20): Promise<ReportFileSummary[]> {
  if (!z.uuid().safeParse(executionId).success) return [];
  const db = await getDb();
  // The same download made again is one file to the reader: the newest copy of each name.
  const rows = await db
    .selectDistinctOn([reportFiles.fileName], {
      id: reportFiles.id, format: reportFiles.format, part: reportFiles.part, fileName: reportFiles.fileName, sizeBytes: reportFiles.sizeBytes,
      createdAt: reportFiles.createdAt, expiresAt: reportFiles.expiresAt, createdByName: users.name,
    })
    .from(reportFiles)
    .innerJoin(executions, eq(executions.id, reportFiles.executionId))
    .leftJoin(users, eq(users.id, reportFiles.createdBy))
    .where(and(eq(reportFiles.executionId, executionId), eq(reportFiles.workspaceId, ctx.workspaceId), isNotNull(reportFiles.completedAt), gt(reportFiles.expiresAt, sql`now()`), visibleExecutions(ctx)))
    .orderBy(reportFiles.fileName, desc(reportFiles.createdAt), desc(reportFiles.id));
  return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id)).slice(0, limit);
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
  await recordAudit(db, ctx, { action: "export.downloaded_again", target: file.id, data: { fileName: file.fileName } });
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // In order; a number claimed for a batch that came out empty was never written.
      const [chunk] = await bridgingConnectionCuts(() =>
        db
          .select({ seq: reportFileChunks.seq, content: sql<string>`encode(coalesce(${reportFileChunks.content}, convert_to(${reportFileChunks.textContent}, 'UTF8')), 'base64')` })
          .from(reportFileChunks)
          .where(and(eq(reportFileChunks.fileId, file.id), gte(reportFileChunks.seq, next)))
          .orderBy(asc(reportFileChunks.seq))
          .limit(1),
      );
      if (!chunk) return controller.close();
      next = chunk.seq + 1;
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
