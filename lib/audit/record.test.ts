import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, recommendations } from "@/db/schema";
import { seededCtx } from "@/db/testing/contexts";
import { createFinishedExecution, readAll } from "@/db/testing/finished-execution";
import { createFreshWorkspace } from "@/db/testing/fresh-workspace";
import { linkVisitorContext, type Ctx } from "@/lib/auth/context";
import { exportExecution } from "@/lib/exports/export-execution";
import { exportHistoryCsv } from "@/lib/executions/history-csv";
import { openReportFile } from "@/lib/exports/report-files";
import { decideRecommendations } from "@/lib/results/recommendations";
import { createShareLink } from "@/lib/shares/manage";
import { listAuditLog, type AuditFilter } from "./queries";
import { auditActions, auditActionsIn, auditCategoryLabels, recordAudit, type AuditAction, type AuditCategory } from "./record";

const categories = Object.keys(auditCategoryLabels) as AuditCategory[];
const everything: AuditFilter = { category: null, actor: null, from: null, to: null };

async function entries(ctx: Ctx, filter: Partial<AuditFilter>) {
  const page = await listAuditLog(ctx, { filter: { ...everything, ...filter }, after: null }, 1000);
  if (!page.ok) throw new Error(page.message);
  return page.rows;
}

let admin: Ctx;
beforeAll(async () => {
  admin = await seededCtx("admin@acme.test");
});

describe("the audit filter's categories", () => {
  it("find every action under its own category and under no other", async () => {
    const { people } = await createFreshWorkspace([{ key: "owner", role: "admin" }]);
    const owner = people.owner!;
    const db = await getDb();
    const all = Object.keys(auditActions) as AuditAction[];
    await recordAudit(db, owner, all.map((action) => ({ action, target: null })));

    const found = new Map<AuditCategory, string[]>();
    for (const category of categories) found.set(category, (await entries(owner, { category })).map((row) => row.action).sort());
    for (const category of categories) expect(found.get(category), category).toEqual(auditActionsIn(category).sort());
    // Together they cover every action, each once.
    expect([...found.values()].flat().sort()).toEqual([...all].sort());
    expect((await entries(owner, {})).length).toBe(all.length);
  });

  it("file a bulk approval under applies and edits, with its decision and count", async () => {
    const execution = await createFinishedExecution(admin, { recommendations: [{ itemLabel: "Home", before: "Old", after: "New", rationale: "r" }, { itemLabel: "About", before: "Old", after: "New", rationale: "r" }] });
    const db = await getDb();
    const ids = (await db.select({ id: recommendations.id }).from(recommendations).where(eq(recommendations.executionId, execution.id))).map((r) => r.id);
    expect(await decideRecommendations(admin, execution.id, { ids, decision: "rejected" })).toEqual({ ok: true, changed: 2 });

    const applies = (await entries(admin, { category: "applies" })).filter((row) => row.targetId === execution.id);
    expect(applies).toMatchObject([{ action: "recommendation.decided", targetType: "execution", actorUserId: admin.userId, data: { decision: "rejected", count: 2 } }]);
  });

  it("file every download under exports: a run's, a list's, a stored file fetched again, and one through a share link that names no member", async () => {
    const execution = await createFinishedExecution(admin, { recommendations: [{ itemLabel: "Home", before: "Old", after: "New", rationale: "r" }] });
    const pdf = await exportExecution(admin, execution.id, { format: "pdf" });
    if (!pdf.ok) throw new Error(pdf.message);
    await readAll(pdf.stream);
    const history = await exportHistoryCsv(admin, new URLSearchParams("agent=seo-audit"));
    if (!history.ok) throw new Error(history.message);
    await readAll(history.stream);
    const again = await openReportFile(admin, pdf.fileId);
    if (!again.ok) throw new Error(again.message);
    await readAll(again.stream);
    const link = await createShareLink(admin, execution.id, { permission: "view", expiresIn: "7d" });
    if (!link.ok) throw new Error(link.message);
    const visitor = linkVisitorContext({ id: link.shareId, workspaceId: admin.workspaceId, executionId: execution.id, showsCredits: false, showsNames: false });
    const throughLink = await exportExecution(visitor, execution.id, { format: "csv" });
    if (!throughLink.ok) throw new Error(throughLink.message);
    await readAll(throughLink.stream);

    const exports = await entries(admin, { category: "exports" });
    const about = (fileId: string) => exports.filter((row) => row.targetId === fileId).map(({ action, targetType, actorUserId, data }) => ({ action, targetType, actorUserId, data }));
    expect(about(pdf.fileId)).toEqual([
      { action: "export.downloaded_again", targetType: "report_file", actorUserId: admin.userId, data: { fileName: pdf.fileName } },
      { action: "export.downloaded", targetType: "report_file", actorUserId: admin.userId, data: { executionId: execution.id, format: "pdf", part: "report", fileName: pdf.fileName } },
    ]);
    expect(about(history.fileId)).toEqual([{ action: "export.downloaded", targetType: "report_file", actorUserId: admin.userId, data: { executionId: null, format: "csv", part: "history", fileName: history.fileName } }]);
    expect(about(throughLink.fileId)).toEqual([
      { action: "export.downloaded", targetType: "report_file", actorUserId: null, data: { executionId: execution.id, format: "csv", part: "recommendations", fileName: throughLink.fileName, throughShareId: link.shareId } },
    ]);
  });

  it("find decisions written before migration 0009 under applies and edits, and the seed's shares by their share", async () => {
    const db = await getDb();
    const execution = await createFinishedExecution(admin, {});
    const shareId = "3f0c5c0e-7d0a-4a53-8f9e-0a1b2c3d4e5f";
    await db.insert(auditLog).values([
      { workspaceId: admin.workspaceId, actorUserId: admin.userId, action: "recommendations.approved", targetType: "execution", targetId: execution.id, data: { count: 3 } },
      { workspaceId: admin.workspaceId, actorUserId: admin.userId, action: "share.created", targetType: "execution", targetId: execution.id, data: { shareId, grantee: "sam", permission: "view" } },
    ]);
    const migration = fs.readFileSync(path.join(process.cwd(), "db", "migrations", "0009_audit_action_names.sql"), "utf8");
    for (const statement of migration.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));

    const applies = (await entries(admin, { category: "applies" })).filter((row) => row.targetId === execution.id);
    expect(applies).toMatchObject([{ action: "recommendation.decided", data: { decision: "approved", count: 3 } }]);
    const [share] = await db.select().from(auditLog).where(and(eq(auditLog.action, "share.created"), eq(auditLog.targetId, shareId)));
    expect(share).toMatchObject({ targetType: "share", data: { executionId: execution.id, kind: "member", grantee: "sam", permission: "view" } });
    // Nothing is left under the old names or targets.
    expect((await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, execution.id))).map((row) => row.action)).toEqual(["recommendation.decided"]);
  });
});
