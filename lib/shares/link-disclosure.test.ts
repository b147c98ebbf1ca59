/**
 * What a share link shows outsiders (issue 15, point 5): its creator chooses whether it shows
 * credits and people's names, both hidden by default, on the page's data and in every download
 * through the link; and a link visitor never gets a comparison with other runs.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { actionItems, executions, users } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution, readAll } from "@/db/testing/finished-execution";
import type { Ctx } from "@/lib/auth/context";
import { disclosureOf } from "@/lib/executions/disclosure";
import { readExecutionLog } from "@/lib/executions/log";
import { getVisibleExecution } from "@/lib/executions/queries";
import { executionExportSchema } from "@/lib/exports/execution-schema";
import { exportExecution } from "@/lib/exports/export-execution";
import { readPdf } from "@/lib/exports/testing/read-pdf";
import { getExecutionResults } from "@/lib/results/queries";
import { visitShareLink } from "./links";
import { changeLinkDisclosure, createShareLink, getShareOverview } from "./manage";

let maya: Ctx;
let sam: Ctx;
let mayasName: string;

beforeAll(async () => {
  ({ maya, sam } = await seededPeople());
  const db = await getDb();
  mayasName = (await db.select({ name: users.name }).from(users).where(eq(users.id, maya.userId)))[0]!.name;
});

/** A finished run of maya's whose page and downloads carry credits and her name in every place they can. */
async function mayasRun(): Promise<string> {
  const scores = (value: number) => ({ kind: "scores" as const, title: "Scores", payload: { metrics: [{ key: "speed", label: "Speed", value, scale: { min: 0, max: 100 }, isHigherBetter: true, meaning: "m", previousValue: null }] } });
  await createFinishedExecution(maya, { agentId: "performance-audit", results: [scores(70)] });
  const run = await createFinishedExecution(maya, {
    agentId: "performance-audit",
    results: [scores(75), { kind: "action_items", title: "Action items", payload: { count: 1, summary: "One thing to do" } }],
    actionItems: [{ title: "Compress images", detail: "d", priority: "high" }],
    logs: [
      { step: "start", message: "Started Performance audit v1.4.0 on 2 items" },
      { level: "warn", step: "cancel", message: `Cancel requested by ${mayasName} after 1 of 2 items` },
      { level: "warn", step: "cancel", message: "Canceled after 1 of 2 items; charged 40 credits, refunded 10", data: { processed: 1, charged: 40 } },
      { step: "finish", message: "Refunded all 50 reserved credits" },
    ],
  });
  const db = await getDb();
  await db.update(executions).set({ createdAt: new Date(run.createdAt.getTime() + 60_000) }).where(eq(executions.id, run.id));
  await db.update(actionItems).set({ isDone: true, doneBy: maya.userId, doneAt: new Date() }).where(eq(actionItems.executionId, run.id));
  return run.id;
}

async function linkVisitor(executionId: string, input: Record<string, unknown> = {}): Promise<Ctx> {
  const created = await createShareLink(maya, executionId, { permission: "view", expiresIn: "7d", ...input });
  if (!created.ok || created.isRepeat) throw new Error(created.ok ? "A repeat" : created.message);
  const visit = await visitShareLink(created.path.slice(3), null, "203.0.113.9", undefined);
  if (visit.state !== "open") throw new Error(visit.state);
  return visit.ctx;
}

async function download(ctx: Ctx, executionId: string, format: string, part?: string): Promise<Buffer> {
  const exported = await exportExecution(ctx, executionId, { format, part });
  if (!exported.ok) throw new Error(exported.message);
  return readAll(exported.stream);
}

/** Everything the link shows: its page's data and all its downloads, as text. */
async function everythingShown(ctx: Ctx, executionId: string) {
  const execution = (await getVisibleExecution(ctx, executionId))!;
  const log = await readExecutionLog(ctx, executionId, { after: null, before: null, level: "all", limit: 200 });
  if (!log.ok) throw new Error("no log");
  const results = (await getExecutionResults(ctx, executionId))!;
  const csv = await Promise.all(["overview", "log", "action_items", "metrics"].map((part) => download(ctx, executionId, "csv", part)));
  const json = executionExportSchema.parse(JSON.parse((await download(ctx, executionId, "json")).toString("utf8")));
  const pdf = (await readPdf(await download(ctx, executionId, "pdf"))).pages.join("\n");
  return { execution, log: log.lines, results, csv: csv.map((b) => b.toString("utf8")).join("\n"), json, pdf };
}

describe("share links for outsiders", () => {
  it("hide credits and people's names by default, on the page and in the CSV, JSON and PDF through the link, and never compare", async () => {
    const runId = await mayasRun();
    const visitor = await linkVisitor(runId);
    expect(disclosureOf(visitor)).toEqual({ showsCredits: false, showsNames: false });
    const shown = await everythingShown(visitor, runId);

    expect(shown.log.map((l) => l.message)).toEqual([
      "Started Performance audit v1.4.0 on 2 items",
      "Cancel requested by a teammate after 1 of 2 items",
      "Canceled after 1 of 2 items",
      "Credits are not shown through this link",
    ]);
    expect(shown.log[2]!.data).toEqual({ processed: 1 });
    const actions = shown.results.find((b) => b.kind === "action_items");
    expect(actions?.kind === "action_items" && actions.isReadable && actions.items.map((a) => a.doneByName)).toEqual(["a teammate"]);
    // No comparison for a link's visitor: the run stands alone.
    const scores = shown.results.find((b) => b.kind === "scores");
    expect(scores?.kind === "scores" && scores.isReadable && [scores.previousRun, scores.metrics[0]!.previous]).toEqual([null, null]);

    expect(shown.json.execution.credits).toBeUndefined();
    expect(shown.json.execution.triggeredBy.user).toBe("A teammate");
    expect(shown.json.actionItems.map((a) => a.doneBy)).toEqual(["A teammate"]);
    expect(shown.json.log.map((l) => l.message)).toEqual(shown.log.map((l) => l.message));
    const scoresJson = shown.json.results.find((r) => r.kind === "scores");
    expect(scoresJson?.kind === "scores" && scoresJson.metrics[0]!.previousValue).toBeNull();
    expect(shown.csv).toContain("A teammate");
    expect(shown.csv).not.toMatch(/credits_/);

    for (const [where, text] of [["CSV", shown.csv], ["JSON", JSON.stringify(shown.json)], ["PDF", shown.pdf]] as const) {
      expect(text, where).not.toContain(mayasName);
      expect(text, where).not.toMatch(/\b(40|50) (charged|reserved)|charged 40|refunded 10|\bcharged\b/i);
    }
    // The cover has no Credits line (the log excerpt may say they are not shown).
    expect(shown.pdf).not.toMatch(/Credits\s+\d|\d+ charged/);
  });

  it("show credits and names when the link's creator ticks them, and the creator can change that later", async () => {
    const runId = await mayasRun();
    const visitor = await linkVisitor(runId, { showsCredits: true, showsNames: true });
    const shown = await everythingShown(visitor, runId);
    expect(shown.log.map((l) => l.message)).toContain(`Cancel requested by ${mayasName} after 1 of 2 items`);
    expect(shown.log.map((l) => l.message)).toContain("Canceled after 1 of 2 items; charged 40 credits, refunded 10");
    expect(shown.json.execution.credits).toEqual({ reserved: 50, charged: 40, refunded: 10 });
    expect(shown.json.execution.triggeredBy.user).toBe(mayasName);
    expect(shown.json.actionItems.map((a) => a.doneBy)).toEqual([mayasName]);
    expect(shown.csv).toContain("credits_charged,40");
    expect(shown.pdf).toContain("40 charged · 50 reserved · 10 refunded");

    const overview = await getShareOverview(maya, runId);
    if (!overview.ok) throw new Error(overview.message);
    const link = overview.links.at(-1)!;
    expect(link).toMatchObject({ showsCredits: true, showsNames: true });
    expect(await changeLinkDisclosure(sam, link.id, { showsCredits: false })).toMatchObject({ ok: false });
    expect(await changeLinkDisclosure(maya, link.id, { showsCredits: false })).toMatchObject({ ok: true });
    const again = await getShareOverview(maya, runId);
    expect(again.ok && again.links.at(-1)).toMatchObject({ showsCredits: false, showsNames: true });
    const visitorAgain = await linkVisitor(runId, { showsNames: true });
    expect(disclosureOf(visitorAgain)).toEqual({ showsCredits: false, showsNames: true });
  });

  it("leave members' own view of the run whole", async () => {
    const runId = await mayasRun();
    const log = await readExecutionLog(maya, runId, { after: null, before: null, level: "all", limit: 200 });
    expect(log.ok && log.lines.map((l) => l.message)).toContain("Refunded all 50 reserved credits");
    const json = executionExportSchema.parse(JSON.parse((await download(maya, runId, "json")).toString("utf8")));
    expect(json.execution.credits).toEqual({ reserved: 50, charged: 40, refunded: 10 });
    expect(json.execution.triggeredBy.user).toBe(mayasName);
  });
});
