import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function freshPage(name: string): Promise<Page> {
  const { page } = await newPage(browser);
  onTestFailed(() => screenshotOnFailure(page, name));
  return page;
}

// `isVisible()` and `count()` answer at once; the page may still be streaming in, so wait for
// what a person would see before asserting on it.
async function executionIds(page: Page): Promise<string[]> {
  await page.locator('[data-testid="execution-row"]').first().waitFor();
  const hrefs = await page.locator('[data-testid="execution-link"]').evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.map((href) => href.split("/").pop() ?? "");
}

describe("signing in and seeing only your workspace", () => {
  let acmeIds: string[] = [];

  it("shows the Acme admin the workspace's past executions", async () => {
    const page = await freshPage("acme-admin-list");
    await signIn(page, "admin@acme.test");
    await page.goto("/executions");
    await page.getByRole("heading", { name: "Past executions" }).waitFor();
    expect(await page.getByTestId("workspace-name").textContent()).toBe("Acme Outfitters");
    acmeIds = await executionIds(page);
    expect(acmeIds.length).toBeGreaterThanOrEqual(10);
    expect(acmeIds.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);

    await page.locator('[data-testid="execution-link"]').first().click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await page.getByText("Execution ID").waitFor();
  });

  it("shows another workspace's member none of Acme's executions, and Acme's URLs answer not found", async () => {
    expect(acmeIds.length).toBeGreaterThan(0);
    const page = await freshPage("globex-member");
    await signIn(page, "gina@globex.test");
    await page.goto("/executions");
    expect(await page.getByTestId("workspace-name").textContent()).toBe("Globex Goods");
    const seen = await executionIds(page);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((id) => acmeIds.includes(id))).toEqual([]);

    const response = await page.goto(`/executions/${acmeIds[0]}`);
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Execution not found" }).waitFor();
  });

  it("answers a malformed execution id with not found, never an error", async () => {
    const page = await freshPage("malformed-id");
    await signIn(page, "admin@acme.test");
    const response = await page.goto("/executions/not-a-uuid");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Execution not found" }).waitFor();
  });

  it("tells a person who typed the wrong password, and keeps them on the sign-in page", async () => {
    const page = await freshPage("wrong-password");
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("admin@acme.test");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // Next.js keeps an empty role="alert" route announcer on every page; ours is the one with text.
    const message = page.getByRole("alert").filter({ hasText: /\S/ });
    await message.waitFor();
    expect(await message.textContent()).toBe("Wrong email or password.");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("answers a member opening an admin-only page with a 403 'Admins only' page", async () => {
    const page = await freshPage("member-admin-page");
    await signIn(page, "sam@acme.test");
    const response = await page.goto("/audit");
    expect(response?.status()).toBe(403);
    await page.getByRole("heading", { name: "Admins only" }).waitFor();
  });

  it("sends a signed-out visitor to sign in, and a garbage session cookie is treated as signed out", async () => {
    const { context, page } = await newPage(browser);
    onTestFailed(() => screenshotOnFailure(page, "garbage-session"));
    await context.addCookies([{ name: "next-auth.session-token", value: "garbage.not.a.jwt", url: inject("baseURL") }]);
    const response = await page.goto("/executions");
    expect(response?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("lets a person in two workspaces switch between them", async () => {
    const page = await freshPage("workspace-switch");
    await signIn(page, "maya@acme.test");
    await page.goto("/executions");
    expect(await page.getByTestId("workspace-name").textContent()).toBe("Acme Outfitters");
    await page.getByLabel("Workspace", { exact: true }).selectOption({ label: "Globex Goods" });
    await page.getByRole("button", { name: "Switch" }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="workspace-name"]')?.textContent === "Globex Goods");
    // Maya ran nothing in Globex and nothing there is shared with her.
    expect(await page.locator('[data-testid="execution-row"]').count()).toBe(0);
  });
});
