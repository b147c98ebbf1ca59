import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { launchBrowser, signIn } from "./chromium";

export { launchBrowser, signIn } from "./chromium";

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: inject("baseURL"), timezoneId: "Europe/Berlin", locale: "en-GB" });
  const page = await context.newPage();
  return { context, page };
}


/**
 * For a spec file that works as one person throughout: a browser for the file and a page signed
 * in as `email`, handed to `use` before the tests run. The browser closes after the file, after
 * the file's own `afterAll` hooks (vitest runs them in reverse order), which may still use the page.
 */
export function signedInPageForFile(email: string, use: (page: Page) => void): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    const { page } = await newPage(browser);
    await signIn(page, email);
    use(page);
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Sets the demo store connection's health (admin, Settings → Connection), as a person reproducing a failure would. */
export async function setHealth(page: Page, health: "Active" | "Lost" | "Slow", latencyMs?: number): Promise<void> {
  await page.goto("/settings/connection");
  await page.getByLabel("Health").selectOption({ label: health });
  if (latencyMs !== undefined) await page.getByLabel("Delay per call, ms (slow)").fill(String(latencyMs));
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
}

/** Keeps a picture of what the page showed when a test failed. */
export async function screenshotOnFailure(page: Page, name: string): Promise<void> {
  const dir = path.join(process.cwd(), "e2e", "artifacts");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true }).catch(() => {});
}
