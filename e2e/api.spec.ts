import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;
let maya: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page: maya } = await newPage(browser));
  await signIn(maya, "maya@acme.test");
});
afterAll(async () => {
  await browser?.close();
});

describe("programmatic access", () => {
  it("creates a token under Settings → API tokens, shows it once, uses it from a script, and revokes it", async () => {
    onTestFailed(() => screenshotOnFailure(maya, "api-tokens"));
    await maya.goto("/settings/api-tokens");
    await maya.getByLabel("Name").fill("Nightly BI export");
    await maya.getByLabel("Scope").selectOption("read");
    await maya.getByRole("button", { name: "Create token" }).click();
    const token = (await maya.getByTestId("new-api-token").textContent())!.replace(/Cop(y|ied)$/, "");
    expect(token).toMatch(/^rl_[A-Za-z0-9_-]{43}$/);

    const base = inject("baseURL");
    const listed = await fetch(new URL("/api/executions?limit=1", base), { headers: { Authorization: `Bearer ${token}` } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { executions: unknown[] }).executions).toHaveLength(1);

    await maya.reload();
    const row = maya.getByRole("row").filter({ hasText: "Nightly BI export" });
    await expect.poll(() => row.textContent()).toMatch(/from /);
    expect(await maya.content()).not.toContain(token);
    maya.once("dialog", (dialog) => dialog.accept());
    await row.getByRole("button", { name: "Revoke Nightly BI export" }).click();
    await row.getByText("Revoked").waitFor();
    const refused = await fetch(new URL("/api/executions", base), { headers: { Authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
  });

  it("applies every match of a filter as a background job from a script, which polls the job's address until it is done", async () => {
    onTestFailed(() => screenshotOnFailure(maya, "api-apply-job"));
    await maya.goto("/settings/api-tokens");
    await maya.getByLabel("Name").fill("Nightly apply");
    await maya.getByLabel("Scope").selectOption("read_apply");
    await maya.getByRole("button", { name: "Create token" }).click();
    const token = (await maya.getByTestId("new-api-token").textContent())!.replace(/Cop(y|ied)$/, "");
    const api = async <T = Record<string, unknown>>(path: string, body?: unknown) => {
      const response = await fetch(new URL(path, inject("baseURL")), {
        method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body),
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      });
      return { status: response.status, location: response.headers.get("location"), json: (await response.json()) as T };
    };
    // A small audit of its own, whose recommendations no other test touches, all approved.
    const started = await api<{ executionId: string }>("/api/executions", { agentId: "seo-audit", settings: { scope: { mode: "all", maxItems: 20 }, includePages: true, includeProducts: true } });
    expect(started.status).toBe(201);
    const run = started.json.executionId;
    await expect.poll(async () => (await api<{ status: string }>(`/api/executions/${run}/progress`)).json.status, { timeout: 60_000, interval: 250 }).toBe("completed");
    const { total } = (await api<{ total: number }>(`/api/executions/${run}/recommendations?status=pending`)).json;
    expect(total).toBeGreaterThan(0);
    expect((await api(`/api/executions/${run}/recommendations/decide`, { allMatching: { status: ["pending"] }, expectedCount: total, decision: "approved" })).json).toEqual({ changed: total });

    type ApplyJob = { id: string; status: string; counts: Record<"planned" | "applied" | "alreadyApplied" | "failed" | "leftAlone", number> };
    const job = await api<ApplyJob>(`/api/executions/${run}/recommendations/apply-jobs`, { allMatching: { status: ["approved"] } });
    expect(job.status).toBe(202);
    expect(job.json).toMatchObject({ status: "running", description: "approved", counts: { planned: total } });
    expect(job.location).toBe(`/api/executions/${run}/recommendations/apply-jobs/${job.json.id}`);
    let ended = job.json;
    await expect.poll(async () => (ended = (await api<ApplyJob>(job.location!)).json).status, { timeout: 60_000, interval: 250 }).not.toBe("running");
    const { counts } = ended;
    expect(ended.status).toBe("finished");
    expect(counts.applied + counts.alreadyApplied + counts.failed + counts.leftAlone).toBe(total);
    expect(counts.applied).toBeGreaterThan(0);
    expect((await api<{ total: number }>(`/api/executions/${run}/recommendations?status=applied`)).json.total).toBe(counts.applied);
  });

  it("serves the API reference from the app itself, listing the actions", async () => {
    onTestFailed(() => screenshotOnFailure(maya, "api-docs"));
    const outside: string[] = [];
    const refused: string[] = [];
    maya.on("request", (request) => {
      if (!request.url().startsWith(inject("baseURL"))) outside.push(request.url());
    });
    maya.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await maya.goto("/api/docs");
    await maya.getByText("Start a run").first().waitFor({ timeout: 20_000 });
    await maya.getByText("Apply recommendations to the store").first().waitFor();
    await maya.getByText("Apply every match of a filter in the background").first().waitFor();
    expect(outside).toEqual([]);
    expect(refused).toEqual([]);
  });
});
