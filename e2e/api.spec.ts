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
    expect(outside).toEqual([]);
    expect(refused).toEqual([]);
  });
});
