import type { Page } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

const rows = () => page.getByTestId("execution-row");

describe("comparing executions in the browser", () => {
  it("selects two SEO audits in the list, compares them and sees the deltas and the trend chart", async () => {
    onTestFailed(() => screenshotOnFailure(page, "compare-from-list"));
    await page.goto("/executions?agent=seo-audit&status=completed");
    await rows().first().waitFor();
    const bar = page.getByLabel("Selected executions");
    const compare = bar.getByRole("button", { name: "Compare" });

    await rows().nth(0).locator('input[type="checkbox"]').check();
    expect(await compare.isDisabled()).toBe(true);
    expect(await compare.getAttribute("title")).toMatch(/Select 2 to 5 runs of one agent/);
    await rows().nth(1).locator('input[type="checkbox"]').check();
    expect(await compare.isEnabled()).toBe(true);
    const hrefs = await Promise.all([0, 1].map((n) => rows().nth(n).locator("a").first().getAttribute("href")));

    await compare.click();
    await page.waitForURL(/\/executions\/compare\?ids=/);
    const ids = new URL(page.url()).searchParams.get("ids")!.split(",");
    expect(ids.sort()).toEqual(hrefs.map((href) => href!.replace("/executions/", "")).sort());
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Compare 2 SEO audit runs");

    // Each metric of run 2 says how it moved against run 1, coloured by what better means for it.
    const metrics = page.getByRole("region", { name: "Metrics" });
    const metricRows = metrics.getByTestId("compared-metric");
    expect(await metricRows.count()).toBeGreaterThanOrEqual(2);
    for (let n = 0; n < (await metricRows.count()); n++) expect(await metricRows.nth(n).locator("td").nth(1).textContent()).toMatch(/vs run 1/);
    for (const verdict of await metrics.locator("[data-verdict]").all()) {
      const kind = await verdict.getAttribute("data-verdict");
      const className = (await verdict.getAttribute("class")) ?? "";
      if (kind === "better") expect(className).toContain("text-emerald-700");
      if (kind === "worse") expect(className).toContain("text-rose-700");
    }
    expect(await page.getByRole("region", { name: "Recommendations" }).getByText("High priority").count()).toBe(1);
    expect(await page.getByRole("region", { name: "Items that changed most" }).getByRole("group").count()).toBe(4);

    // The trend: one chart per key metric, drawn as an SVG inside its figure.
    const trend = page.getByRole("region", { name: "Trend" });
    expect(await trend.getByText(/in the last 90 days|newest 100 finished runs/).count()).toBe(1);
    await trend.locator("figure svg").first().waitFor();
    expect(await trend.locator("figure").count()).toBeGreaterThanOrEqual(2);

    // Add a third run from the recent runs, then remove it again.
    const adding = page.getByRole("region", { name: "Add or remove runs" });
    await adding.getByRole("link", { name: "Add", exact: true }).first().click();
    await page.waitForURL((url) => url.searchParams.get("ids")?.split(",").length === 3);
    expect(await page.getByTestId("compared-run").count()).toBe(3);
    await page.getByRole("link", { name: "Remove run 3 from the comparison" }).click();
    await page.waitForURL((url) => url.searchParams.get("ids")?.split(",").length === 2);
    expect(await page.getByTestId("compared-run").count()).toBe(2);
  });

  it("opens a comparison with the previous run from a run's page", async () => {
    onTestFailed(() => screenshotOnFailure(page, "compare-from-detail"));
    await page.goto("/executions?agent=seo-audit&status=completed");
    await rows().first().locator("a").first().click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    await page.getByRole("link", { name: "Compare with previous run(s)…" }).click();
    await page.waitForURL(/\/executions\/compare\?ids=/);
    expect(await page.getByTestId("compared-run").count()).toBe(2);
  });

  it("explains a link it cannot compare", async () => {
    onTestFailed(() => screenshotOnFailure(page, "compare-notice"));
    await page.goto("/executions/compare?ids=not-an-id,7c0e7b8a-1f0e-4b6b-9a3e-2f9d1c0b5a41");
    await page.getByRole("alert").filter({ hasText: /is not an execution ID/ }).waitFor();
    const missing = await page.goto("/executions/compare?ids=7c0e7b8a-1f0e-4b6b-9a3e-2f9d1c0b5a41,7c0e7b8a-1f0e-4b6b-9a3e-2f9d1c0b5a42");
    expect(missing?.status()).toBe(404);
    await page.getByRole("heading", { name: "Execution not found" }).waitFor();
    expect(await page.getByRole("region", { name: "Metrics" }).count()).toBe(0);
  });
});
