import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newPage(browser));
  await signIn(page, "sam@acme.test");
});
afterAll(async () => {
  await browser?.close();
});

describe("automated workflows from the browser", () => {
  it("creates a workflow, refuses a bad cron line, edits it and turns it off", async () => {
    onTestFailed(() => screenshotOnFailure(page, "workflows"));
    await page.goto("/workflows");
    await page.getByLabel("Name").fill("Nightly performance check");
    await page.getByLabel("Agent").selectOption({ label: "Performance audit" });
    await page.getByLabel("Custom cron schedule").fill("every night");
    await page.getByRole("button", { name: "Create workflow" }).click();
    expect(await page.getByRole("alert").filter({ hasText: /\S/ }).textContent()).toMatch(/cron/);

    await page.getByLabel("Custom cron schedule").fill("");
    await page.getByLabel("Schedule", { exact: true }).selectOption({ label: "Every day at 02:00" });
    await page.getByRole("button", { name: "Create workflow" }).click();
    await page.getByRole("status").filter({ hasText: "Workflow created." }).waitFor();
    const row = page.getByTestId("workflow-row").filter({ hasText: "Nightly performance check" });
    expect(await row.textContent()).toContain("0 2 * * *");

    await row.getByRole("link", { name: "Nightly performance check" }).click();
    await page.waitForURL(/\/workflows\/[0-9a-f-]{36}$/);
    await page.getByLabel("Name").fill("Weekly performance check");
    await page.getByLabel("Custom cron schedule").fill("0 6 * * 1");
    await page.getByLabel("At most").fill("25");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();

    await page.goto("/workflows");
    const edited = page.getByTestId("workflow-row").filter({ hasText: "Weekly performance check" });
    expect(await edited.textContent()).toContain("0 6 * * 1");
    await edited.getByLabel("Weekly performance check enabled").uncheck();
    await edited.getByText("Off").waitFor();
    await page.reload();
    expect(await page.getByTestId("workflow-row").filter({ hasText: "Weekly performance check" }).getByLabel("Weekly performance check enabled").isChecked()).toBe(false);
  });
});
