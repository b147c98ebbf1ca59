import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { seriousViolations } from "./axe";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

/**
 * Find and act at scale (F19) as a person does it: search Past executions, save the search as a
 * view, open it again from the sidebar, select every matching run, share them all with a member
 * (who then finds them in their history) and delete them all, each after a confirm with the count.
 */
let browser: Browser;
let page: Page;
const search = "no longer match";
let viewName = "";

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page } = await newPage(browser));
  await signIn(page, "admin@acme.test");
});
afterAll(async () => {
  await browser?.close();
});

const rows = (on: Page = page) => on.getByTestId("execution-row");
const hrefs = (on: Page = page) => rows(on).evaluateAll((trs) => trs.map((tr) => tr.querySelector("a")!.getAttribute("href")!).sort());
const settled = (on: Page = page) => on.locator('form[role="search"][aria-busy="false"]').waitFor();

async function searchFor(words: string, on: Page = page): Promise<void> {
  const box = on.getByRole("search", { name: "Filter executions" }).getByRole("searchbox", { name: "Search", exact: true });
  await box.fill(words);
  await box.press("Enter");
  await on.waitForURL((url) => url.searchParams.get("q") === words);
  await settled(on);
}

/** Ticks every row of the page with the keyboard, then asks for every matching run: answers N of "All N matching selected". */
async function selectAllMatching(): Promise<number> {
  await page.getByRole("checkbox", { name: "Select all on this page" }).focus();
  await page.keyboard.press("Space");
  const selection = page.getByRole("region", { name: "Selected executions" });
  await selection.getByRole("button", { name: "Select all matching" }).click();
  const selected = await selection.getByText(/^All [\d,]+ matching selected$/).textContent();
  return Number(selected!.replace(/[^\d]/g, ""));
}

/** Waits for a bulk job's progress to end in its toast. */
async function finishes(toast: string): Promise<void> {
  await page.getByText(toast).waitFor({ timeout: 60_000 });
}

describe("acting on everything a search matches", () => {
  it("searches, saves the view, reopens it from the sidebar, shares every match with a member who then sees them, and deletes them all", async () => {
    onTestFailed(() => screenshotOnFailure(page, "bulk-by-filter"));
    // A retry saves its view again: a name of its own each time.
    viewName = `Settings drift ${Date.now().toString(36)}`;
    await page.goto("/executions");
    await searchFor(search);
    const found = await hrefs();
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(50);
    const snippets = page.getByTestId("search-snippet");
    expect(await snippets.count()).toBeGreaterThan(0);
    expect(await snippets.first().locator("mark").textContent()).toMatch(/no|longer|match/i);

    // Save the search as a view, go elsewhere, and open it again from the sidebar.
    await page.getByRole("button", { name: "Save view…" }).click();
    const saveDialog = page.getByRole("dialog", { name: "Save these filters as a view" });
    await saveDialog.getByRole("textbox", { name: "Name" }).fill(viewName);
    await saveDialog.getByRole("button", { name: "Save view" }).click();
    await page.getByText(`Saved the view “${viewName}”.`).waitFor();
    await page.goto("/executions");
    await settled();
    expect(await page.getByRole("searchbox", { name: "Search", exact: true }).inputValue()).toBe("");
    await page.getByRole("list", { name: "Saved views" }).getByRole("link", { name: viewName }).click();
    await page.waitForURL((url) => url.searchParams.get("q") === search);
    await settled();
    expect(await page.getByRole("searchbox", { name: "Search", exact: true }).inputValue()).toBe(search);
    expect(await page.getByRole("region", { name: "Saved view", exact: true }).textContent()).toContain(`View: ${viewName}`);
    expect(await hrefs()).toEqual(found);

    // Share every match with Sam from a phone (the rows are cards there), choosing him in the dialog.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await selectAllMatching()).toBe(found.length);
    await page.getByRole("button", { name: `Share ${found.length}…` }).click();
    const shareDialog = page.getByRole("dialog", { name: `Share ${found.length} runs with…` });
    await shareDialog.getByRole("checkbox", { name: /sam@acme\.test/ }).check();
    await shareDialog.getByRole("combobox", { name: "Permission" }).selectOption({ label: "View only" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await shareDialog.getByRole("button", { name: "Continue" }).click();
    const confirmShare = page.getByRole("dialog", { name: `Share ${found.length} runs?` });
    expect(await confirmShare.getByTestId("bulk-sentence").textContent()).toMatch(new RegExp(`^Share ${found.length} runs? of “${search}” with Sam [^(]*\\(view only\\); runs already shared with that person stay as they are\\.$`));
    await confirmShare.getByRole("button", { name: `Share ${found.length} runs` }).click();
    await finishes("Every matching run you may share is shared; each person is notified once.");
    await page.setViewportSize({ width: 1280, height: 900 });

    // Sam now finds every one of them in his history, and was told once.
    const samsBrowser = await newPage(browser);
    try {
      await signIn(samsBrowser.page, "sam@acme.test");
      await samsBrowser.page.goto("/executions");
      await searchFor(search, samsBrowser.page);
      expect(await hrefs(samsBrowser.page)).toEqual(found);
      await samsBrowser.page.goto("/notifications");
      expect(await samsBrowser.page.getByText(/shared \d+ runs? with you/).count()).toBe(1);
    } finally {
      await samsBrowser.context.close();
    }

    // Delete them all, after a confirm with the exact count.
    await page.reload();
    await settled();
    expect(await selectAllMatching()).toBe(found.length);
    await page.getByRole("button", { name: `Delete ${found.length}…` }).click();
    const confirmDelete = page.getByRole("dialog", { name: `Delete ${found.length} runs?` });
    expect(await confirmDelete.getByTestId("bulk-sentence").textContent()).toBe(`Delete ${found.length} run${found.length === 1 ? "" : "s"} of “${search}”; no credits are refunded.`);
    await confirmDelete.getByRole("button", { name: `Delete ${found.length} runs` }).click();
    await finishes("Every matching run that could be deleted is deleted.");
    await page.goto(`/executions?q=${encodeURIComponent(search)}`);
    await settled();
    expect(await rows().count()).toBe(0);
    expect(await page.getByRole("link", { name: viewName }).count()).toBe(1);
  });
});
