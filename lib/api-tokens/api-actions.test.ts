import { count, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import * as applyRoute from "@/app/api/executions/[id]/recommendations/apply/route";
import * as cancelRoute from "@/app/api/executions/[id]/cancel/route";
import * as decideRoute from "@/app/api/executions/[id]/recommendations/decide/route";
import * as exportRoute from "@/app/api/executions/[id]/export/[format]/route";
import * as progressRoute from "@/app/api/executions/[id]/progress/route";
import * as recommendationsRoute from "@/app/api/executions/[id]/recommendations/route";
import * as reportFilesRoute from "@/app/api/executions/[id]/report-files/route";
import * as revertRoute from "@/app/api/executions/[id]/recommendations/revert/route";
import * as estimateRoute from "@/app/api/executions/estimate/route";
import * as executionsRoute from "@/app/api/executions/route";
import * as reportFileRoute from "@/app/api/report-files/[fileId]/route";
import * as storeRoute from "@/app/api/store/[type]/[id]/route";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution } from "@/db/testing/finished-execution";
import { settleSeededRuns } from "@/db/testing/runs";
import { callWithToken } from "./testing";
import { createApiToken } from "./tokens";

let people: Awaited<ReturnType<typeof seededPeople>>;
let applyToken: string;
let readToken: string;

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });
const audit = { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 6 }, includePages: true, includeProducts: true } };

beforeAll(async () => {
  people = await seededPeople();
  await settleSeededRuns();
  const a = await createApiToken(people.maya, { name: "script", scope: "read_apply", expiresIn: "30" });
  const r = await createApiToken(people.maya, { name: "reader", scope: "read", expiresIn: "30" });
  if (!a.ok || !r.ok || a.isRepeat || r.isRepeat) throw new Error("tokens");
  [applyToken, readToken] = [a.token, r.token];
});

describe("the JSON API for actions, with a token only", () => {
  it("starts a run, polls it to completion, applies two recommendations, and downloads its CSV", async () => {
    const estimate = await callWithToken(estimateRoute.POST, "/api/executions/estimate", readToken, {}, json(audit));
    expect(estimate.status).toBe(200);
    const { credits, itemCount } = (await estimate.json()) as { credits: number; itemCount: number };
    expect(itemCount).toBe(6);

    const started = await callWithToken(executionsRoute.POST, "/api/executions", applyToken, {}, json({ ...audit, maxCredits: credits }, { "idempotency-key": "nightly-2026-12-05" }));
    expect(started.status).toBe(200);
    const { executionId } = (await started.json()) as { executionId: string };

    // The same key again: the same run, nothing reserved twice.
    const again = await callWithToken(executionsRoute.POST, "/api/executions", applyToken, {}, json({ ...audit, maxCredits: credits }, { "idempotency-key": "nightly-2026-12-05" }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ executionId, isRepeat: true });

    let status = "";
    for (let i = 0; i < 300 && !["completed", "partial", "failed", "canceled"].includes(status); i++) {
      const progress = await callWithToken(progressRoute.GET, `/api/executions/${executionId}/progress`, readToken, { id: executionId });
      status = ((await progress.json()) as { status: string }).status;
      if (status !== "completed") await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe("completed");

    const listed = await callWithToken(recommendationsRoute.GET, `/api/executions/${executionId}/recommendations?status=pending`, readToken, { id: executionId });
    expect(listed.status).toBe(200);
    const { recommendations } = (await listed.json()) as { recommendations: { id: string; itemType: string; itemRef: string; field: string; after: string }[] };
    expect(recommendations.length).toBeGreaterThanOrEqual(2);
    const chosen = recommendations.slice(0, 2);

    // A read token may look but not apply.
    const refused = await callWithToken(applyRoute.POST, `/api/executions/${executionId}/recommendations/apply`, readToken, { id: executionId }, json({ ids: chosen.map((r) => r.id) }));
    expect(refused.status).toBe(403);

    const applied = await callWithToken(applyRoute.POST, `/api/executions/${executionId}/recommendations/apply`, applyToken, { id: executionId }, json({ ids: chosen.map((r) => r.id) }));
    expect(applied.status).toBe(200);
    expect(((await applied.json()) as { outcomes: { outcome: string }[] }).outcomes.map((o) => o.outcome)).toEqual(["applied", "applied"]);
    const twice = await callWithToken(applyRoute.POST, `/api/executions/${executionId}/recommendations/apply`, applyToken, { id: executionId }, json({ ids: chosen.map((r) => r.id) }));
    expect(((await twice.json()) as { outcomes: { outcome: string }[] }).outcomes.map((o) => o.outcome)).toEqual(["already_applied", "already_applied"]);

    // The store holds the new values.
    for (const rec of chosen) {
      const type = rec.itemType === "page" ? "pages" : "products";
      const id = rec.itemRef.split(":").pop()!;
      const item = await callWithToken(storeRoute.GET, `/api/store/${type}/${id}`, readToken, { type, id });
      if (item.status === 200) expect(JSON.stringify(await item.json())).toContain(JSON.stringify(rec.after).slice(1, -1).slice(0, 20));
    }

    const csv = await callWithToken(exportRoute.GET, `/api/executions/${executionId}/export/csv`, readToken, { id: executionId, format: "csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split("\n").length).toBeGreaterThan(recommendations.length);
    expect(text).toMatch(/applied/);

    const files = await callWithToken(reportFilesRoute.GET, `/api/executions/${executionId}/report-files`, readToken, { id: executionId });
    const { files: kept } = (await files.json()) as { files: { id: string; format: string; url: string }[] };
    expect(kept[0]).toMatchObject({ format: "csv", url: `/api/report-files/${kept[0]!.id}` });
    const again2 = await callWithToken(reportFileRoute.GET, kept[0]!.url, readToken, { fileId: kept[0]!.id });
    expect(await again2.text()).toBe(text);
  });

  it("answers one keyed start sent twice at once with the one run it queued, 200 both times; an unkeyed start answers 201", async () => {
    const start = (headers: Record<string, string>) => callWithToken(executionsRoute.POST, "/api/executions", applyToken, {}, json(audit, headers));
    const answers = await Promise.all([start({ "idempotency-key": "double-click-2026-12-06" }), start({ "idempotency-key": "double-click-2026-12-06" })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { executionId: string; isRepeat: boolean }[];
    expect(new Set(bodies.map((body) => body.executionId)).size).toBe(1);
    expect(bodies.map((body) => body.isRepeat).sort()).toEqual([false, true]);
    const db = await getDb();
    const [{ runs }] = (await db.select({ runs: count() }).from(executions).where(like(executions.idempotencyKey, "%:double-click-2026-12-06"))) as [{ runs: number }];
    expect(runs).toBe(1);

    const unkeyed = await start({});
    expect(unkeyed.status).toBe(201);
    expect(await unkeyed.json()).toMatchObject({ isRepeat: false });
  });

  it("reverts and decides selected recommendations, refuses a cost above the agreed one, and cancels", async () => {
    const run = await createFinishedExecution(people.maya, {
      recommendations: [
        { itemLabel: "A", before: "a", after: "A!", rationale: "x" },
        { itemLabel: "B", before: "b", after: "B!", rationale: "y" },
      ],
    });
    const listed = (await (await callWithToken(recommendationsRoute.GET, `/api/executions/${run.id}/recommendations?sort=item`, readToken, { id: run.id })).json()) as { recommendations: { id: string }[] };
    const [a, b] = listed.recommendations;
    const decided = await callWithToken(decideRoute.POST, `/api/executions/${run.id}/recommendations/decide`, applyToken, { id: run.id }, json({ ids: [a!.id, b!.id], decision: "rejected" }));
    expect(await decided.json()).toEqual({ changed: 2 });
    const rejected = (await (await callWithToken(recommendationsRoute.GET, `/api/executions/${run.id}/recommendations?status=rejected`, readToken, { id: run.id })).json()) as { total: number };
    expect(rejected.total).toBe(2);
    const notApplied = await callWithToken(revertRoute.POST, `/api/executions/${run.id}/recommendations/revert`, applyToken, { id: run.id }, json({ ids: [a!.id] }));
    expect(await notApplied.json()).toEqual({ outcomes: [{ id: a!.id, outcome: "refused", reason: "Only an applied change can be reverted." }] });

    const bad = await callWithToken(decideRoute.POST, `/api/executions/${run.id}/recommendations/decide`, applyToken, { id: run.id }, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe("The request body is not valid JSON.");

    const tooDear = await callWithToken(executionsRoute.POST, "/api/executions", applyToken, {}, json({ ...audit, maxCredits: 1 }));
    expect(tooDear.status).toBe(409);
    expect((await tooDear.json()).error.message).toMatch(/more than the 1 agreed/);

    const finished = await callWithToken(cancelRoute.POST, `/api/executions/${run.id}/cancel`, applyToken, { id: run.id }, { method: "POST" });
    expect(finished.status).toBe(409);
    expect((await finished.json()).error.message).toBe("This run has already finished.");
    const othersRun = await createFinishedExecution(people.sam, { status: "running" });
    const notVisible = await callWithToken(cancelRoute.POST, `/api/executions/${othersRun.id}/cancel`, applyToken, { id: othersRun.id }, { method: "POST" });
    expect(notVisible.status).toBe(404);
  });
});
