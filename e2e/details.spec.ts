import type { Locator, Page } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

/** What the store holds now for an item ("product:<id>") and field, read through the store API. */
async function storeValueOf(item: string, field: string): Promise<string | null> {
  const [type, id] = item.split(":");
  const response = await page.request.get(`/api/store/${type}s/${id}`);
  expect(response.status()).toBe(200);
  const stored = (await response.json()) as Record<string, unknown> & { images: { alt: string | null }[] };
  const image = /^images\.(\d+)\.alt$/.exec(field);
  if (image) return stored.images[Number(image[1])]!.alt;
  return (stored[field === "meta_description" ? "metaDescription" : field] as string | null) ?? null;
}

async function storeValue(row: Locator): Promise<string | null> {
  return storeValueOf((await row.getAttribute("data-item"))!, (await row.getAttribute("data-field"))!);
}

/** Opens the newest run the history lists for `query`, at its tab `tab` ("Recommendations", "Generated texts", …). */
async function openNewest(query: string, tab?: RegExp): Promise<void> {
  await page.goto(`/executions?${query}`);
  await page.getByTestId("execution-row").first().getByTestId("execution-link").click();
  await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
  if (!tab) return;
  await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: tab }).click();
  await page.waitForURL(/tab=/);
}

/** Applies the ticked rows through the confirmation, which lists each change, and waits for the outcome's toast. */
async function previewAndApply(count: number): Promise<void> {
  await page.getByRole("region", { name: "Selected recommendations" }).getByRole("button", { name: "Preview and apply…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("list", { name: "Changes to apply" }).waitFor();
  expect(await dialog.getByRole("listitem").count()).toBe(count);
  await dialog.getByRole("button", { name: new RegExp(`^Apply ${count} changes?$`) }).click();
  await page.getByTestId("toast").filter({ hasText: `${count} applied.` }).waitFor();
  await dialog.waitFor({ state: "hidden" });
}

describe("execution details in the browser", () => {
  it("filters an SEO audit's recommendations to high priority, applies three to the store and reverts one", async () => {
    onTestFailed(() => screenshotOnFailure(page, "details-apply"));
    await openNewest("agent=seo-audit&status=completed", /^Recommendations/);
    await page.getByRole("search", { name: "Filter recommendations" }).getByLabel("Priority", { exact: true }).selectOption("high");
    await page.waitForURL(/rp=high/);
    await page.getByRole("search", { name: "Filter recommendations" }).getByLabel("Status", { exact: true }).selectOption("pending");
    await page.waitForURL(/rs=pending/);
    const rows = page.getByTestId("recommendation-row");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="recommendation-row"]')].every((r) => r.getAttribute("data-priority") === "high" && r.getAttribute("data-status") === "pending"));
    expect(await rows.count()).toBeGreaterThanOrEqual(3);

    // Three changes to three different items, so none makes another stale.
    const chosen: Locator[] = [];
    const items = new Set<string>();
    for (let i = 0; chosen.length < 3 && i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const item = (await row.getAttribute("data-item"))!;
      if (items.has(item) || (await storeValue(row)) !== ((await row.getAttribute("data-before")) || null)) continue;
      items.add(item);
      chosen.push(row);
    }
    expect(chosen).toHaveLength(3);
    const expected = await Promise.all(chosen.map(async (row) => ({ item: (await row.getAttribute("data-item"))!, field: (await row.getAttribute("data-field"))!, before: await row.getAttribute("data-before"), after: (await row.getAttribute("data-after"))! })));
    for (const row of chosen) await row.getByRole("checkbox").check();
    await previewAndApply(3);

    for (const change of expected) expect(await storeValueOf(change.item, change.field)).toBe(change.after);

    // Applied ones leave the "pending" filter; show them again to revert one.
    await page.getByRole("search", { name: "Filter recommendations" }).getByLabel("Status", { exact: true }).selectOption("applied");
    await page.waitForURL(/rs=applied/);
    const reverted = expected[0]!;
    await page.locator(`[data-testid="recommendation-row"][data-item="${reverted.item}"][data-field="${reverted.field}"]`).getByRole("button", { name: /^Revert / }).click();
    await page.getByTestId("toast").filter({ hasText: /^Reverted/ }).waitFor();
    expect((await storeValueOf(reverted.item, reverted.field)) ?? "").toBe(reverted.before ?? "");
    expect(await storeValueOf(expected[1]!.item, expected[1]!.field)).toBe(expected[1]!.after);
  });

  it("edits a generated description, and the edit is what reaches the store", async () => {
    onTestFailed(() => screenshotOnFailure(page, "details-generated"));
    await openNewest("agent=product-description-writer&status=completed", /^Generated texts/);
    // A text that can still apply: the seed (relative to today's time) also holds rejected ones, which apply skips.
    const edit = page.locator('[data-testid="recommendation-row"][data-status="pending"], [data-testid="recommendation-row"][data-status="approved"]')
      .getByRole("button", { name: /^Edit Description of / })
      .first();
    const label = (await edit.getAttribute("aria-label"))!.replace(/^Edit /, "");
    await edit.click();
    const text = `Hand-tuned copy ${Date.now()}: warm, light and made to last.`;
    await page.getByRole("textbox", { name: label }).fill(text);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    const search = page.getByRole("search", { name: "Filter recommendations" });
    await search.getByLabel("Item or field").fill(label.replace(/^Description of /, ""));
    await search.getByLabel("Item or field").press("Enter");
    await page.waitForURL(/rq=/);
    const row = page.locator(`[data-testid="recommendation-row"][data-after="${text}"]`);
    await row.waitFor();
    await row.getByRole("checkbox").check();
    await previewAndApply(1);
    expect(await storeValue(row)).toBe(text);
  });

  it("runs a failed execution again with a smaller scope, through to a new execution", async () => {
    onTestFailed(() => screenshotOnFailure(page, "details-smaller"));
    await openNewest("status=failed");
    await page.getByRole("heading", { name: "Troubleshooting" }).waitFor();
    const failedUrl = page.url();
    await page.getByRole("link", { name: "Run again with a smaller scope" }).click();
    await page.waitForURL(/\/agents\//);
    await page.getByRole("button", { name: "Check cost" }).click();
    await page.getByTestId("estimate").waitFor();
    await page.getByRole("button", { name: "Run agent" }).click();
    await page.waitForURL((url) => /\/executions\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== failedUrl);
    expect(await page.getByText(failedUrl.split("/").pop()!.split("?")[0]!).count()).toBeGreaterThan(0);
  });
});
