import { and, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, executions, reportFileChunks, reportFiles } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution, readAll } from "@/db/testing/finished-execution";
import { linkVisitorContext, type Ctx } from "@/lib/auth/context";
import { createShareLink } from "@/lib/shares/manage";
import { listExecutions } from "@/lib/executions/list";
import { emptyFilter } from "@/lib/executions/list-filter";
import { exportExecution } from "./export-execution";
import { exportHistoryCsv } from "@/lib/executions/history-csv";
import { listReportFiles, openReportFile, purgeExpiredReportFiles, reportFileRetentionDays, storeWhileStreaming } from "./report-files";

let admin: Ctx;
let sam: Ctx;
let lee: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, sam, lee, globexAdmin } = await seededPeople()));

async function chunksOf(fileId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(reportFileChunks).where(eq(reportFileChunks.fileId, fileId));
  return row!.n;
}

/** About 3 MB of CSV: long enough to need several stored chunks (`chunkTargetBytes`). */
const longRun = () => Array.from({ length: 3000 }, (_, i) => ({ itemLabel: `Item ${i} ${"x".repeat(800)}`, before: "b".repeat(100), after: `After ${i}`, rationale: "r".repeat(100) }));
/** Storing and exporting such a run took 26–31 s on embedded PGlite beside the other test files (11 s on PostgreSQL). */
const longRunTimeout = { timeout: 90_000 };

describe("report files", () => {
  it("keeps each download for 30 days under the execution's Downloads, and gives back the same bytes", longRunTimeout, async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun() });
    const before = Date.now();
    const exported = await exportExecution(sam, execution.id, { format: "csv" });
    if (!exported.ok) throw new Error(exported.message);
    // Not listed while it is still being written.
    expect(await listReportFiles(sam, execution.id)).toEqual([]);
    const bytes = await readAll(exported.stream);
    expect(await chunksOf(exported.fileId)).toBeGreaterThan(1);

    const listed = await listReportFiles(sam, execution.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: exported.fileId, format: "csv", part: "recommendations", fileName: exported.fileName, sizeBytes: bytes.length, createdByName: "Sam Seller" });
    const days = (listed[0]!.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(reportFileRetentionDays - 0.01);
    expect(days).toBeLessThan(reportFileRetentionDays + 0.01);

    const again = await openReportFile(sam, exported.fileId);
    if (!again.ok) throw new Error(again.message);
    expect(again).toMatchObject({ fileName: exported.fileName, contentType: "text/csv; charset=utf-8", sizeBytes: bytes.length });
    expect((await readAll(again.stream)).equals(bytes)).toBe(true);

    // Visible to who can see the run: an admin yes; another member or workspace no.
    expect((await openReportFile(admin, exported.fileId)).ok).toBe(true);
    expect(await openReportFile(lee, exported.fileId)).toMatchObject({ ok: false, code: "not_found" });
    expect(await openReportFile(globexAdmin, exported.fileId)).toMatchObject({ ok: false, code: "not_found" });
    expect(await listReportFiles(lee, execution.id)).toEqual([]);
    expect(await openReportFile(sam, "nope")).toMatchObject({ ok: false, code: "not_found" });
  });

  it("lists a download made twice once, as its newest copy, beside the run's other files", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 20) });
    const made: string[] = [];
    for (const format of ["csv", "csv", "json"] as const) {
      const exported = await exportExecution(sam, execution.id, { format });
      if (!exported.ok) throw new Error(exported.message);
      await readAll(exported.stream);
      made.push(exported.fileId);
    }
    const listed = await listReportFiles(sam, execution.id);
    expect(listed.map((f) => f.id).sort()).toEqual([made[1]!, made[2]!].sort());
    expect(new Set(listed.map((f) => f.fileName)).size).toBe(2);
  });

  it("keeps one copy of each file downloaded through a link, however often it is downloaded, and every member's own", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 20) });
    const link = await createShareLink(sam, execution.id, { permission: "view", expiresIn: "7d" });
    if (!link.ok) throw new Error(link.message);
    const visitor = linkVisitorContext({ id: link.shareId, workspaceId: sam.workspaceId, executionId: execution.id, showsCredits: false, showsNames: false });
    const download = async (ctx: Ctx, format: "csv" | "json") => {
      const exported = await exportExecution(ctx, execution.id, { format });
      if (!exported.ok) throw new Error(exported.message);
      return { fileId: exported.fileId, bytes: await readAll(exported.stream) };
    };
    const byMember = [await download(sam, "csv"), await download(sam, "csv")];
    const byVisitor = [];
    for (let n = 0; n < 4; n++) byVisitor.push(await download(visitor, "csv"));
    const visitorJson = await download(visitor, "json");
    const db = await getDb();
    const kept = await db.select({ id: reportFiles.id }).from(reportFiles).where(eq(reportFiles.executionId, execution.id));
    expect(kept.map((f) => f.id).sort()).toEqual([...byMember.map((d) => d.fileId), byVisitor[3]!.fileId, visitorJson.fileId].sort());
    // The copy kept holds the whole file, chunks and all.
    const newest = await openReportFile(sam, byVisitor[3]!.fileId);
    if (!newest.ok) throw new Error(newest.message);
    expect((await readAll(newest.stream)).equals(byVisitor[0]!.bytes)).toBe(true);
    const [orphans] = await db.select({ n: count() }).from(reportFileChunks).where(inArray(reportFileChunks.fileId, byVisitor.slice(0, 3).map((d) => d.fileId)));
    expect(orphans!.n).toBe(0);
  });

  it("makes a link's PDF once for visitors who download it at the same moment: each gets the whole file, and each download is logged", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 300) });
    const link = await createShareLink(sam, execution.id, { permission: "view", expiresIn: "7d" });
    if (!link.ok) throw new Error(link.message);
    const visitor = linkVisitorContext({ id: link.shareId, workspaceId: sam.workspaceId, executionId: execution.id, showsCredits: false, showsNames: false });
    const started = await Promise.all(Array.from({ length: 6 }, () => exportExecution(visitor, execution.id, { format: "pdf" })));
    const exports = started.map((exported) => {
      if (!exported.ok) throw new Error(exported.message);
      return exported;
    });
    // The third visitor stops reading after the first piece: the others still get every byte.
    const quitter = exports[2]!.stream.getReader();
    await quitter.read();
    await quitter.cancel();
    const files = await Promise.all(exports.filter((_, n) => n !== 2).map((exported) => readAll(exported.stream)));
    for (const bytes of files) {
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(bytes.subarray(-6).toString()).toContain("%%EOF");
      expect(bytes.equals(files[0]!)).toBe(true);
    }
    expect(new Set(exports.map((exported) => exported.fileId)).size).toBe(1);
    const db = await getDb();
    const kept = await db.select({ id: reportFiles.id, sizeBytes: reportFiles.sizeBytes }).from(reportFiles).where(eq(reportFiles.executionId, execution.id));
    expect(kept).toEqual([{ id: exports[0]!.fileId, sizeBytes: files[0]!.length }]);
    const logged = await db.select({ target: auditLog.targetId }).from(auditLog).where(and(eq(auditLog.action, "export.downloaded"), eq(auditLog.targetId, exports[0]!.fileId)));
    expect(logged).toHaveLength(6);
    // Once it is made, the next visitor's download is made afresh.
    const later = await exportExecution(visitor, execution.id, { format: "pdf" });
    if (!later.ok) throw new Error(later.message);
    await readAll(later.stream);
    expect(later.fileId).not.toBe(exports[0]!.fileId);
  }, 60_000);

  it("drops a link's PDF half made when every visitor downloading it goes away, and makes it anew for the next", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 300) });
    const link = await createShareLink(sam, execution.id, { permission: "view", expiresIn: "7d" });
    if (!link.ok) throw new Error(link.message);
    const visitor = linkVisitorContext({ id: link.shareId, workspaceId: sam.workspaceId, executionId: execution.id, showsCredits: false, showsNames: false });
    const both = await Promise.all([exportExecution(visitor, execution.id, { format: "pdf" }), exportExecution(visitor, execution.id, { format: "pdf" })]);
    for (const exported of both) {
      if (!exported.ok) throw new Error(exported.message);
      await exported.stream.cancel();
    }
    const db = await getDb();
    // The half-made file goes once its generation notices; then nothing of it is left.
    for (let waited = 0; waited < 50 && (await db.select({ id: reportFiles.id }).from(reportFiles).where(eq(reportFiles.executionId, execution.id))).length > 0; waited++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db.select({ id: reportFiles.id }).from(reportFiles).where(eq(reportFiles.executionId, execution.id))).toEqual([]);
    const next = await exportExecution(visitor, execution.id, { format: "pdf" });
    if (!next.ok) throw new Error(next.message);
    expect((await readAll(next.stream)).subarray(-6).toString()).toContain("%%EOF");
  }, 60_000);

  it("answers 'gone' once expired, and the scheduled purge removes expired and abandoned files with their chunks", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 50) });
    const kept = await exportExecution(sam, execution.id, { format: "json" });
    const expired = await exportExecution(sam, execution.id, { format: "pdf" });
    if (!kept.ok || !expired.ok) throw new Error("export failed");
    await readAll(kept.stream);
    await readAll(expired.stream);
    const db = await getDb();
    await db.update(reportFiles).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(reportFiles.id, expired.fileId));

    expect(await openReportFile(sam, expired.fileId)).toMatchObject({ ok: false, code: "gone" });
    expect((await listReportFiles(sam, execution.id)).map((f) => f.id)).toEqual([kept.fileId]);

    // A generation that died half-way an hour ago.
    const [abandoned] = await db
      .insert(reportFiles)
      .values({ workspaceId: sam.workspaceId, executionId: execution.id, format: "csv", part: "items", fileName: "x.csv", contentType: "text/csv", sizeBytes: 0, createdBy: sam.userId, createdAt: new Date(Date.now() - 2 * 3_600_000), expiresAt: new Date(Date.now() + 86_400_000) })
      .returning();
    await db.insert(reportFileChunks).values({ fileId: abandoned!.id, seq: 0, content: Buffer.from("partial") });

    const { removed } = await purgeExpiredReportFiles();
    expect(removed).toBeGreaterThanOrEqual(2);
    const left = await db.select({ id: reportFiles.id }).from(reportFiles).where(eq(reportFiles.executionId, execution.id));
    expect(left.map((f) => f.id)).toEqual([kept.fileId]);
    expect(await chunksOf(expired.fileId)).toBe(0);
    expect(await chunksOf(abandoned!.id)).toBe(0);
    expect(await openReportFile(sam, expired.fileId)).toMatchObject({ ok: false, code: "not_found" });
    expect((await purgeExpiredReportFiles()).removed).toBe(0);
  });

  it("keeps pieces the content stored itself in their place among the rest, skipping a chunk claimed and left empty", async () => {
    const execution = await createFinishedExecution(sam, {});
    const db = await getDb();
    const stored = await storeWhileStreaming(
      sam,
      { executionId: execution.id, format: "json", part: "report", fileName: "x.json", contentType: "application/json" },
      async function* (file) {
        yield "[head,";
        const middle = file.claimChunk();
        file.claimChunk(); // a batch that came out empty: nothing is written under it
        await db.insert(reportFileChunks).values({ fileId: file.fileId, seq: middle, content: Buffer.from("middle — ü,") });
        yield { stored: Buffer.from("middle — ü,") };
        yield "tail]";
      },
    );
    const bytes = await readAll(stored.stream);
    expect(bytes.toString("utf8")).toBe("[head,middle — ü,tail]");
    const again = await openReportFile(sam, stored.fileId);
    if (!again.ok) throw new Error(again.message);
    expect(again.sizeBytes).toBe(bytes.length);
    expect((await readAll(again.stream)).toString("utf8")).toBe("[head,middle — ü,tail]");
  });

  it("removes a file whose download was abandoned half-way", longRunTimeout, async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun() });
    const exported = await exportExecution(sam, execution.id, { format: "csv" });
    if (!exported.ok) throw new Error(exported.message);
    const reader = exported.stream.getReader();
    await reader.read();
    await reader.cancel();
    const db = await getDb();
    expect(await db.select().from(reportFiles).where(eq(reportFiles.id, exported.fileId))).toEqual([]);
    expect(await chunksOf(exported.fileId)).toBe(0);
  });

  it("goes with its execution when the execution is deleted", async () => {
    const execution = await createFinishedExecution(sam, { recommendations: longRun().slice(0, 10) });
    const exported = await exportExecution(sam, execution.id, { format: "csv" });
    if (!exported.ok) throw new Error(exported.message);
    await readAll(exported.stream);
    const db = await getDb();
    await db.delete(executions).where(eq(executions.id, execution.id));
    expect(await db.select().from(reportFiles).where(and(eq(reportFiles.id, exported.fileId)))).toEqual([]);
    expect(await chunksOf(exported.fileId)).toBe(0);
  });
});

describe("history export", () => {
  it("lists every run the list filter matches, as the person may see them, newest first", async () => {
    const exported = await exportHistoryCsv(admin, new URLSearchParams("agent=seo-audit&status=completed&status=failed"));
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.fileName).toMatch(/^runlog-executions-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readAll(exported.stream)).toString("utf8");
    expect(text.startsWith("\uFEFFid,agent_id,agent,")).toBe(true);
    const lines = text.trim().split("\r\n").slice(1);
    const db = await getDb();
    const ids = lines.map((line) => line.slice(0, 36));
    const expected = await db
      .select({ id: executions.id, status: executions.status })
      .from(executions)
      .where(and(eq(executions.workspaceId, admin.workspaceId), eq(executions.agentId, "seo-audit")));
    const wanted = expected.filter((e) => e.status === "completed" || e.status === "failed");
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(wanted.map((e) => e.id).filter((id) => ids.includes(id))));
    expect(lines.every((line) => line.includes(",seo-audit,SEO audit,"))).toBe(true);

    // A member's export holds only what the member's list shows.
    const member = await exportHistoryCsv(sam, new URLSearchParams());
    if (!member.ok) throw new Error(member.message);
    const memberIds = (await readAll(member.stream)).toString("utf8").trim().split("\r\n").slice(1).map((line) => line.slice(0, 36));
    const listed = await listExecutions(sam, { filter: emptyFilter, page: { after: null, before: null }, limit: 100_000 });
    expect(memberIds.length).toBeGreaterThan(0);
    expect(memberIds).toEqual(listed.rows.map((r) => r.id));
  });

  it("refuses a filter it cannot read", async () => {
    expect(await exportHistoryCsv(admin, new URLSearchParams("status=done"))).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("Unknown status “done”") });
  });
});
