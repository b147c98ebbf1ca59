import type { Page } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

const rows = () => page.getByTestId("execution-row");

async function rowIds(): Promise<string[]> {
  return rows().evaluateAll((trs) => trs.map((tr) => tr.querySelector("a")!.getAttribute("href")!));
}

/** Waits for a filter change to finish rendering (the filter bar is busy while the page loads). */
async function settled(): Promise<void> {
  await page.locator('form[role="search"][aria-busy="false"]').waitFor();
}

/** Waits until the list shows the page whose first row is `href` (back/forward render after the URL changes). */
async function showsPageStartingWith(href: string): Promise<void> {
  await page.waitForFunction((first) => document.querySelector('[data-testid="execution-row"] a')?.getAttribute("href") === first, href);
}

async function balance(): Promise<number> {
  return Number((await page.getByTestId("credit-balance").textContent())!.replace(/,/g, ""));
}

describe("past executions in the browser", () => {
  it("filters by agent, failure and the last 7 days through the UI; the URL keeps it across reloads", async () => {
    onTestFailed(() => screenshotOnFailure(page, "history-filters"));
    await page.goto("/executions");
    const filters = page.getByRole("search", { name: "Filter executions" });
    await filters.getByLabel("SEO audit").check();
    await page.waitForURL(/agent=seo-audit/);
    await settled();
    await filters.getByLabel("Failed").check();
    await page.waitForURL(/status=failed/);
    await settled();
    await filters.getByLabel("Date").selectOption({ label: "Last 7 days" });
    await page.waitForURL(/range=7d/);
    await settled();
    const url = new URL(page.url());
    expect(url.searchParams.getAll("agent")).toEqual(["seo-audit"]);
    expect(url.searchParams.getAll("status")).toEqual(["failed"]);

    const check = async () => {
      const n = await rows().count();
      expect(n).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) {
        const row = rows().nth(i);
        expect(await row.getAttribute("data-agent")).toBe("seo-audit");
        expect(await row.getAttribute("data-status")).toBe("failed");
        const started = Date.parse((await row.locator("time").getAttribute("datetime"))!);
        expect(Date.now() - started).toBeLessThan(7 * 86_400_000 + 3_600_000);
      }
    };
    await check();
    await page.reload();
    expect(await filters.getByLabel("SEO audit").isChecked()).toBe(true);
    expect(await filters.getByLabel("Failed").isChecked()).toBe(true);
    await check();

    await page.getByRole("button", { name: "Clear all" }).click();
    await page.waitForURL((u) => u.search === "");
    await settled();
    expect(await rows().count()).toBe(50);
  });

  it("filters custom dates only once one is picked, and refuses a start after the end", async () => {
    onTestFailed(() => screenshotOnFailure(page, "history-custom-dates"));
    await page.goto("/executions");
    const filters = page.getByRole("search", { name: "Filter executions" });
    await filters.getByLabel("Date").selectOption({ label: "Custom dates" });
    await filters.getByLabel("From", { exact: true }).waitFor();
    expect(new URL(page.url()).search).toBe("");
    await filters.getByLabel("To", { exact: true }).fill("2026-05-01");
    await page.waitForURL(/to=2026-05-01/);
    await settled();
    await filters.getByLabel("From", { exact: true }).fill("2026-05-09");
    await filters.getByRole("alert").filter({ hasText: "The start date is after the end date" }).waitFor();
    expect(new URL(page.url()).searchParams.get("from")).toBeNull();
  });

  it("pages older and back again", async () => {
    onTestFailed(() => screenshotOnFailure(page, "history-pages"));
    await page.goto("/executions");
    const first = await rowIds();
    await page.getByRole("link", { name: "Older →" }).click();
    await page.waitForURL(/after=/);
    await page.waitForFunction((top) => document.querySelector('[data-testid="execution-row"] a')?.getAttribute("href") !== top, first[0]!);
    const second = await rowIds();
    expect(second).toHaveLength(50);
    expect(second.some((id) => first.includes(id))).toBe(false);
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes("after="));
    await showsPageStartingWith(first[0]!);
    expect(await rowIds()).toEqual(first);
    await page.goForward();
    await page.waitForURL(/after=/);
    await showsPageStartingWith(second[0]!);
    await page.getByRole("link", { name: "← Newer" }).click();
    await page.waitForURL(/before=/);
    await showsPageStartingWith(first[0]!);
    expect(await rowIds()).toEqual(first);
  });

  it("deletes a run from its menu after confirming; it is gone after reload and the balance is unchanged", async () => {
    onTestFailed(() => screenshotOnFailure(page, "history-delete"));
    await page.goto("/executions?status=completed");
    const before = await balance();
    const row = rows().first();
    const href = (await row.locator("a").first().getAttribute("href"))!;
    await row.getByRole("button", { name: /^Actions for/ }).click();
    await page.getByRole("menu").getByRole("menuitem", { name: "Delete…" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.textContent()).toMatch(/cannot be undone.*no credits are refunded/s);
    await dialog.getByRole("button", { name: "Delete permanently" }).click();
    await page.getByRole("status").filter({ hasText: "Deleted 1 execution." }).waitFor();
    await page.reload();
    expect(await rowIds()).not.toContain(href);
    expect(await balance()).toBe(before);
    const gone = await page.goto(href);
    expect(gone?.status()).toBe(404);
  });

  it("answers the JSON API with the same filters, and a clear 400 for bad ones", async () => {
    const ok = await page.request.get("/api/executions?agent=analytics-review&limit=5");
    expect(ok.status()).toBe(200);
    const body = (await ok.json()) as { executions: { agentId: string }[]; page: { next: { url: string } | null } };
    expect(body.executions).toHaveLength(5);
    expect(body.executions.every((e) => e.agentId === "analytics-review")).toBe(true);
    const next = await page.request.get(body.page.next!.url);
    expect(((await next.json()) as { executions: unknown[] }).executions).toHaveLength(5);

    for (const [query, message] of [
      ["status=done", /Unknown status/],
      ["range=custom&from=2026-05-02&to=2026-05-01", /start date is after the end date/],
      ["after=%%%", /page link is not valid/],
      ["limit=5000", /between 1 and 100/],
    ] as const) {
      const bad = await page.request.get(`/api/executions?${query}`);
      expect(bad.status()).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    await page.goto("/executions?status=done");
    expect(await page.getByRole("alert").filter({ hasText: "could not be read" }).textContent()).toContain("Unknown status “done”");
    expect(await rows().count()).toBe(50);
  });
});
