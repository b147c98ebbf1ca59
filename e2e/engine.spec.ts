import type { Page } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, setHealth, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

async function balance(): Promise<number> {
  return Number((await page.getByTestId("credit-balance").textContent())!.replace(/,/g, ""));
}

async function startSeoAudit(maxItems: number, includeProducts: boolean): Promise<string> {
  await page.goto("/agents/seo-audit");
  if (!includeProducts) await page.getByLabel("Include products").uncheck();
  await page.getByLabel("At most").fill(String(maxItems));
  await page.getByRole("button", { name: "Check cost" }).click();
  await page.getByTestId("estimate").waitFor();
  await page.getByRole("button", { name: "Run agent" }).click();
  await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

async function waitForStatus(status: string) {
  await page.getByRole("heading", { level: 1 }).locator("..").getByText(status, { exact: true }).waitFor({ timeout: 45_000 });
}

describe("running agents from the browser", () => {
  it("runs an SEO audit on 20 pages to completion and charges what it used", async () => {
    onTestFailed(() => screenshotOnFailure(page, "engine-complete"));
    await page.goto("/executions");
    const before = await balance();
    await page.goto("/agents/seo-audit");
    await page.getByLabel("Include products").uncheck();
    await page.getByLabel("At most").fill("20");
    await page.getByRole("button", { name: "Check cost" }).click();
    expect(await page.getByTestId("estimate").textContent()).toContain("20 items · 45 credits");
    await page.getByRole("button", { name: "Run agent" }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await waitForStatus("Completed");
    expect(await page.getByText("45 reserved · 45 charged · 0 refunded").isVisible()).toBe(true);
    expect(await balance()).toBe(before - 45);
  });

  it("fails a run whose connection is lost midway and refunds every credit", async () => {
    onTestFailed(() => screenshotOnFailure(page, "engine-lost"));
    await page.goto("/executions");
    const before = await balance();
    // Slow calls (two batches of several seconds each) leave time to drop the connection midway.
    await setHealth(page, "Slow", 4000);
    const id = await startSeoAudit(400, true);
    await setHealth(page, "Lost");
    await page.goto(`/executions/${id}`);
    await waitForStatus("Failed");
    expect(await page.getByRole("region", { name: "Error" }).textContent()).toContain("The connection to the store was lost");
    expect(await page.getByText("0 charged").isVisible()).toBe(true);
    expect(await balance()).toBe(before);
    await setHealth(page, "Active");
  });

  it("refuses to start while the connection is lost, with a clear message", async () => {
    onTestFailed(() => screenshotOnFailure(page, "engine-refused"));
    await setHealth(page, "Lost");
    await page.goto("/agents/seo-audit");
    await page.getByRole("button", { name: "Check cost" }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("store connection is lost");
    await setHealth(page, "Active");
  });

  it("cancels a long run: canceled, with the unused credits refunded", async () => {
    onTestFailed(() => screenshotOnFailure(page, "engine-cancel"));
    await setHealth(page, "Slow", 1500);
    await page.goto("/executions");
    const before = await balance();
    const id = await startSeoAudit(2000, true);
    // The bar moves item by item (25 to a call of the store), well inside the first batch of 200.
    await page.getByText(/^Running: [1-9]\d* of 2,000 items done$/).waitFor({ timeout: 30_000 });
    expect(Number(await page.getByRole("progressbar").getAttribute("aria-valuenow"))).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByText(/^Canceling: stops at the next few items/).waitFor();
    // One slow call of the store (1.5 s) at most, then it stops.
    await waitForStatus("Canceled");
    await setHealth(page, "Active");
    await page.goto(`/executions/${id}`);
    const credits = (await page.getByText(/reserved · [\d,]+ charged · [\d,]+ refunded/).textContent())!;
    const [, reserved, charged, refunded] = /(\d+) reserved · (\d+) charged · (\d+) refunded/.exec(credits.replace(/,/g, ""))!.map(Number);
    const processed = Number(/([\d,]+) processed/.exec((await page.getByText(/processed · [\d,]+ failed/).textContent())!)![1]!.replace(/,/g, ""));
    expect(reserved).toBe(5 + 2 * 2000);
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(200); // stopped inside the first batch
    expect(charged).toBe(5 + 2 * processed);
    expect(charged! + refunded!).toBe(reserved);
    expect(await balance()).toBe(before - charged!);
    expect(await page.getByText(/^Requested .+ · took effect \d+ (ms|s) later$/).count()).toBe(1);
  });
});
