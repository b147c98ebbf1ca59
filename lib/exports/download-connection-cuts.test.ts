/**
 * A download whose database connections are cut while it streams (PostgreSQL only: PGlite has
 * no connection to cut). The link to the server goes down between two pieces the reader takes,
 * so the reads and writes that follow meet a closed port, and comes back a moment later.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDatabase, installDatabase, openDatabase, type OpenDatabase } from "@/db/client";
import { reportFiles } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { openCuttableLink, type CuttableLink } from "@/db/testing/cuttable-link";
import { createFinishedExecution, readAll } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { exportExecution } from "./export-execution";
import { openReportFile } from "./report-files";

const url = process.env.RUNLOG_TEST_DATABASE_URL;
const onServer = Boolean(process.env.TEST_DATABASE_URL && url);

/** Several megabytes of CSV and JSON, several batches of rows: many pieces to cut between. */
const manyRecommendations = Array.from({ length: 6000 }, (_, i) => ({ itemLabel: `Item ${i} ${"x".repeat(300)}`, before: "b".repeat(100), after: `After ${i}`, rationale: "r".repeat(200) }));
const now = new Date();

describe.runIf(onServer)("a download whose database connection is cut", () => {
  let sam: Ctx;
  let executionId: string;
  let direct: OpenDatabase;
  let link: CuttableLink;
  let throughLink: OpenDatabase;

  beforeAll(async () => {
    ({ sam } = await seededPeople());
    executionId = (await createFinishedExecution(sam, { recommendations: manyRecommendations })).id;
    direct = await getDatabase();
    const server = new URL(url!);
    link = await openCuttableLink({ host: server.hostname, port: Number(server.port || 5432) });
    throughLink = await openDatabase({ kind: "postgres", url: link.urlThrough(url!), maxConnections: 6 });
  }, 120_000);

  afterAll(async () => {
    installDatabase(direct);
    await throughLink?.close();
    await link?.close();
  });

  /** The download made with no cut, through the app's own connection. */
  async function downloadedDirectly(format: "csv" | "json"): Promise<Buffer> {
    installDatabase(direct);
    const exported = await exportExecution(sam, executionId, { format }, now);
    if (!exported.ok) throw new Error(exported.message);
    return readAll(exported.stream);
  }

  /**
   * Reads the download a piece at a time; before the pieces `cutBefore` names, the link goes
   * down (every open connection dropped, new ones refused) and comes back after `outageMs`.
   */
  async function downloadedAcrossCuts(format: "csv" | "json" | "pdf", cutBefore: number[], outageMs = 400) {
    installDatabase(throughLink);
    const exported = await exportExecution(sam, executionId, { format }, now);
    if (!exported.ok) throw new Error(exported.message);
    const reader = exported.stream.getReader();
    const pieces: Uint8Array[] = [];
    let cuts = 0;
    for (let n = 0; ; n++) {
      if (cutBefore.includes(n)) {
        link.goDown();
        cuts++;
        setTimeout(() => link.comeBack(), outageMs);
      }
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(value);
    }
    installDatabase(direct);
    return { fileId: exported.fileId, bytes: Buffer.concat(pieces), cuts };
  }

  async function storedFile(fileId: string) {
    const db = (await getDatabase()).db;
    const [file] = await db.select({ sizeBytes: reportFiles.sizeBytes, completedAt: reportFiles.completedAt }).from(reportFiles).where(eq(reportFiles.id, fileId));
    const again = await openReportFile(sam, fileId);
    return { file, bytes: again.ok ? await readAll(again.stream) : null };
  }

  it.each(["csv", "json"] as const)("completes a %s download with the same bytes, and keeps it whole, after two cuts", { timeout: 120_000 }, async (format) => {
    const expected = await downloadedDirectly(format);
    const cut = await downloadedAcrossCuts(format, [1, 3]);
    expect(cut.cuts).toBe(2);
    expect(cut.bytes.length).toBe(expected.length);
    expect(cut.bytes.equals(expected)).toBe(true);

    const stored = await storedFile(cut.fileId);
    expect(stored.file).toMatchObject({ sizeBytes: expected.length });
    expect(stored.file!.completedAt).not.toBeNull();
    expect(stored.bytes?.equals(expected)).toBe(true);
  });

  it("completes a csv download across a 15 s outage of the database, with the same bytes", { timeout: 120_000 }, async () => {
    const expected = await downloadedDirectly("csv");
    const cut = await downloadedAcrossCuts("csv", [2], 15_000);
    expect(cut.cuts).toBe(1);
    expect(cut.bytes.equals(expected)).toBe(true);
    const stored = await storedFile(cut.fileId);
    expect(stored.file!.completedAt).not.toBeNull();
    expect(stored.bytes?.equals(expected)).toBe(true);
  });

  it("completes a PDF report after a cut, and keeps what was sent", { timeout: 120_000 }, async () => {
    const cut = await downloadedAcrossCuts("pdf", [1]);
    expect(cut.cuts).toBe(1);
    expect(cut.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(cut.bytes.subarray(-6).toString()).toContain("%%EOF");
    const stored = await storedFile(cut.fileId);
    expect(stored.file).toMatchObject({ sizeBytes: cut.bytes.length });
    expect(stored.bytes?.equals(cut.bytes)).toBe(true);
  });
});

describe("a report file's text chunk stored twice", () => {
  it("keeps the first and gives the text back both times (a batch sent again after a cut)", async () => {
    const { sam } = await seededPeople();
    const execution = await createFinishedExecution(sam, { recommendations: manyRecommendations.slice(0, 10) });
    const exported = await exportExecution(sam, execution.id, { format: "csv" }, now);
    if (!exported.ok) throw new Error(exported.message);
    await readAll(exported.stream);
    const db = (await getDatabase()).db;
    const store = (text: string) => executeRows<{ text: string }>(db, sql`select runlog_store_text_chunk(${exported.fileId}::uuid, 900, ${text}) as text`);
    expect(await store("first")).toEqual([{ text: "first" }]);
    expect(await store("first")).toEqual([{ text: "first" }]);
    expect(await executeRows(db, sql`select text_content from report_file_chunks where file_id = ${exported.fileId} and seq = 900`)).toEqual([{ text_content: "first" }]);
  });
});
