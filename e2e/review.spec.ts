import type { Page, Route } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, setHealth, signedInPageForFile } from "./browser";
import { seriousViolations } from "./axe";
import { findDemoRuns } from "./page-walk";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

const rows = () => page.getByTestId("recommendation-row");
const sections = () => page.getByRole("navigation", { name: "Sections" });

/** A fresh SEO audit of `items` items (300 by default), for a list of a known, large size that no other test touches. */
async function runLargeAudit(items = 300): Promise<string> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/agents/seo-audit");
  await page.getByLabel("At most").fill(String(items));
  await page.getByRole("button", { name: "Check cost" }).click();
  await page.getByTestId("estimate").waitFor();
  await page.getByRole("button", { name: "Run agent" }).click();
  await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
  await page.getByRole("heading", { level: 1 }).locator("..").getByText("Completed", { exact: true }).waitFor({ timeout: 60_000 });
  return page.url();
}

let auditUrl: string;

describe("reviewing a large run", () => {
  it("pages through every recommendation, 25 at a time, each once", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-pages"));
    auditUrl = await runLargeAudit();
    await sections().getByRole("link", { name: /^Recommendations/ }).click();
    await page.waitForURL(/tab=recommendations/);
    await rows().first().waitFor();
    const total = Number((await page.getByText(/^[\d,]+ matching$/).textContent())!.replace(/\D/g, ""));
    expect(total).toBeGreaterThanOrEqual(200);
    const seen: string[] = [];
    for (;;) {
      const ids = await rows().evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute("data-item")}|${tr.getAttribute("data-field")}`));
      expect(ids.length).toBeLessThanOrEqual(25);
      seen.push(...ids);
      const next = page.getByRole("navigation", { name: "Recommendation pages" }).getByRole("link", { name: "Next →" });
      if ((await next.count()) === 0) break;
      const first = ids[0];
      await next.click();
      await page.waitForFunction((was) => {
        const tr = document.querySelector('[data-testid="recommendation-row"]');
        return tr && `${tr.getAttribute("data-item")}|${tr.getAttribute("data-field")}` !== was;
      }, first);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // And back: the previous page is the one before.
    await page.getByRole("link", { name: "← Previous" }).click();
    await page.waitForURL(/rbefore=/);
    await page.getByText(new RegExp(`^${(Math.ceil(total / 25) - 2) * 25 + 1}–`)).waitFor();
  });

  it("keeps the run's actions, the column headings and the selection bar in view on a long page", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-sticky"));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${auditUrl}?tab=recommendations`);
    const inView = async (locator: ReturnType<Page["locator"]>) => {
      const box = await locator.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 900;
    };
    const bar = page.getByRole("region", { name: "Selected recommendations" });
    // The first row ticked: the bar's own place is at the foot of the list, far below, yet it shows.
    await rows().first().getByRole("checkbox").check();
    expect(await inView(bar.getByRole("button", { name: "Preview and apply…" }))).toBe(true);
    // Down at the last row: the actions and the column headings are still in view, the headings below the header.
    await rows().last().scrollIntoViewIfNeeded();
    await rows().last().getByRole("checkbox").check();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(900);
    expect(await inView(page.getByRole("group", { name: "Actions" }).getByRole("link", { name: "Run again" }))).toBe(true);
    const heading = page.getByRole("columnheader", { name: "Before" });
    expect(await inView(heading)).toBe(true);
    const tabs = (await sections().boundingBox())!;
    expect((await heading.boundingBox())!.y).toBeGreaterThanOrEqual(tabs.y + tabs.height - 1);
    expect(await inView(bar.getByText(/^2 selected$/))).toBe(true);
  });

  it("clears the selection when the filter changes, so a later decision touches nothing unseen", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-selection"));
    await page.goto(`${auditUrl}?tab=recommendations&rs=pending`);
    await rows().first().getByRole("checkbox").check();
    await rows().nth(1).getByRole("checkbox").check();
    await page.getByTestId("selection-count").filter({ hasText: /^2 selected$/ }).waitFor();
    await page.getByRole("search", { name: "Filter recommendations" }).getByLabel("Priority", { exact: true }).selectOption("high");
    await page.waitForURL(/rp=high/);
    await page.getByTestId("selection-count").waitFor({ state: "detached" });
    expect(await rows().first().getByRole("checkbox").isChecked()).toBe(false);
  });

  it("approves one row inline: it leaves the Pending filter, stays unselected, and the next bulk reject leaves it alone", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-inline"));
    await page.goto(`${auditUrl}?tab=recommendations&rs=pending`);
    const target = rows().first();
    const key = { item: (await target.getAttribute("data-item"))!, field: (await target.getAttribute("data-field"))! };
    await target.getByRole("checkbox").check();
    await target.getByRole("button", { name: /^Approve / }).click();
    await page.getByTestId("toast").filter({ hasText: /^Approved / }).waitFor();
    await page.waitForFunction(({ item, field }) => !document.querySelector(`[data-testid="recommendation-row"][data-item="${item}"][data-field="${field}"]`), key);
    expect(await page.getByTestId("selection-count").count()).toBe(0);

    // Reject another row through the bar: the confirmation lists exactly that one.
    const other = rows().first();
    await other.getByRole("checkbox").check();
    await page.getByRole("region", { name: "Selected recommendations" }).getByRole("button", { name: "Reject…" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("list", { name: "Recommendations to decide" }).getByRole("listitem").count()).toBe(1);
    await dialog.getByRole("button", { name: "Reject 1 recommendation" }).click();
    await page.getByTestId("toast").filter({ hasText: "Rejected 1 recommendation." }).waitFor();

    await page.goto(`${auditUrl}?tab=recommendations&rs=approved`);
    await page.locator(`[data-testid="recommendation-row"][data-item="${key.item}"][data-field="${key.field}"]`).waitFor();
  });
});

describe("deciding every recommendation a filter matches", () => {
  it("rejects all pending low-priority ones at once; a change made meanwhile refuses the stale confirm with the new count, and the second confirm decides exactly what matches", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-all-matching"));
    await page.setViewportSize({ width: 1440, height: 900 });
    // Low priority only: the high ones stay pending for details.spec, which reviews the newest SEO audit.
    await page.goto(`${auditUrl}?tab=recommendations&rs=pending&rp=low`);
    await rows().first().waitFor();
    const matching = Number((await page.getByText(/^[\d,]+ matching$/).textContent())!.replace(/\D/g, ""));
    expect(matching).toBeGreaterThan(25);
    const bar = page.getByRole("region", { name: "Selected recommendations" });
    await page.getByRole("checkbox", { name: "Select all on this page" }).first().check();
    await bar.getByRole("button", { name: `Select all ${matching.toLocaleString("en-US")} matching` }).click();
    await bar.getByText(`All ${matching.toLocaleString("en-US")} matching selected`).waitFor();
    await bar.getByRole("button", { name: "Reject…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: `Reject ${matching.toLocaleString("en-US")} recommendations` }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Someone approves one of them meanwhile (through the API, as another tab would).
    const runId = new URL(auditUrl).pathname.split("/").pop()!;
    const pending = (await (await page.request.get(`/api/executions/${runId}/recommendations?status=pending&priority=low`)).json()) as { recommendations: { id: string }[] };
    const decided = await page.request.post(`/api/executions/${runId}/recommendations/decide`, { data: { ids: [pending.recommendations[0]!.id], decision: "approved" } });
    expect(decided.status()).toBe(200);

    await dialog.getByRole("button", { name: `Reject ${matching.toLocaleString("en-US")} recommendations` }).click();
    await dialog.getByRole("alert").filter({ hasText: `now match ${(matching - 1).toLocaleString("en-US")}` }).waitFor();
    await dialog.getByRole("button", { name: `Reject ${(matching - 1).toLocaleString("en-US")} recommendations` }).click();
    await page.getByTestId("toast").filter({ hasText: `Rejected ${(matching - 1).toLocaleString("en-US")} recommendations.` }).waitFor();

    // None of them is left pending, the high ones still are, and the one approved meanwhile stayed approved.
    const left = (await (await page.request.get(`/api/executions/${runId}/recommendations?status=pending&priority=low`)).json()) as { recommendations: unknown[] };
    expect(left.recommendations).toEqual([]);
    const high = (await (await page.request.get(`/api/executions/${runId}/recommendations?status=pending&priority=high`)).json()) as { recommendations: unknown[] };
    expect(high.recommendations.length).toBeGreaterThan(0);
    const approved = (await (await page.request.get(`/api/executions/${runId}/recommendations?status=approved`)).json()) as { recommendations: { id: string }[] };
    expect(approved.recommendations.map((r) => r.id)).toContain(pending.recommendations[0]!.id);
  });

  it("offers the same on a phone, where the table has no header row", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-all-matching-phone"));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${auditUrl}?tab=recommendations&rs=rejected`);
    await rows().first().waitFor();
    await page.getByRole("checkbox", { name: "Select all on this page" }).first().check();
    const bar = page.getByRole("region", { name: "Selected recommendations" });
    await bar.getByRole("button", { name: /^Select all [\d,]+ matching$/ }).click();
    await bar.getByText(/^All [\d,]+ matching selected$/).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);

    // Rejecting every rejected one again changes none of them, and says so.
    const matching = Number((await bar.getByText(/^All [\d,]+ matching selected$/).textContent())!.replace(/\D/g, ""));
    await bar.getByRole("button", { name: "Reject…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { name: "Reject 0 recommendations?" }).waitFor();
    await dialog.getByText("none of them is left to reject.", { exact: false }).waitFor();
    await dialog.getByText(`${matching.toLocaleString("en-US")} matching recommendation${matching === 1 ? " already rejected is left as it is." : "s already rejected are left as they are."}`).waitFor();
    expect(await dialog.getByRole("button", { name: "Reject 0 recommendations" }).isDisabled()).toBe(true);
    await dialog.getByRole("button", { name: "Cancel" }).click();
  });
});

describe("applying every approved recommendation a filter matches", () => {
  it("approves the pending medium-priority ones, then applies every approved one on a phone, by keyboard: the confirm counts them and lists the first, then what happened to each", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-apply-all"));
    await page.setViewportSize({ width: 390, height: 844 });
    const bar = page.getByRole("region", { name: "Selected recommendations" });
    const dialog = page.getByRole("dialog");
    const selectEveryMatch = async () => {
      await rows().first().waitFor();
      const matching = Number((await page.getByText(/^[\d,]+ matching$/).textContent())!.replace(/\D/g, ""));
      await page.getByRole("checkbox", { name: "Select all on this page" }).first().check();
      if (matching > (await rows().count())) await bar.getByRole("button", { name: `Select all ${matching.toLocaleString("en-US")} matching` }).click();
      return matching;
    };
    // Medium only: the high ones stay pending for details.spec, and the low ones were rejected above.
    await page.goto(`${auditUrl}?tab=recommendations&rs=pending&rp=medium`);
    const pending = await selectEveryMatch();
    await bar.getByRole("button", { name: "Approve…" }).click();
    await dialog.getByRole("button", { name: `Approve ${pending.toLocaleString("en-US")} recommendation${pending === 1 ? "" : "s"}` }).click();
    await page.getByTestId("toast").filter({ hasText: /^Approved / }).waitFor();

    await page.goto(`${auditUrl}?tab=recommendations&rs=approved`);
    const n = await selectEveryMatch();
    expect(n).toBeGreaterThanOrEqual(pending);
    await bar.getByRole("button", { name: "Preview and apply…" }).click();
    const count = `${n.toLocaleString("en-US")} change${n === 1 ? "" : "s"}`;
    await dialog.getByRole("heading", { name: `Apply ${count} to the store?` }).waitFor();
    // The first 100 changes are listed, the rest counted.
    expect(await dialog.getByRole("list", { name: "Changes to apply" }).getByRole("listitem").count()).toBe(Math.min(n, 100));
    if (n > 100) await dialog.getByText(`and ${(n - 100).toLocaleString("en-US")} more`, { exact: true }).waitFor();
    await dialog.getByText("you can close this or leave the page, and you are notified when it ends.", { exact: false }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);

    await dialog.getByRole("button", { name: `Apply ${count}` }).focus();
    await page.keyboard.press("Enter");
    const progress = dialog.getByRole("progressbar", { name: "Changes applied" });
    // A run of this size may apply in one short part: the bar is checked when it is caught.
    if (await progress.waitFor({ timeout: 2_000 }).then(() => true, () => false)) {
      expect(await progress.getAttribute("max")).toBe(String(n));
      expect(await progress.getAttribute("aria-valuetext")).toMatch(new RegExp(`^Applied [\\d,]+ of ${n.toLocaleString("en-US")}`));
    }
    await dialog.getByRole("heading", { name: "Applied", exact: true }).waitFor({ timeout: 30_000 });
    // The summary has the focus, and counts every confirmed change once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-title");
    const summary = (await dialog.getByTestId("apply-summary").getByRole("listitem").allTextContents()).map((line) => Number(line.replace(/\D/g, "")));
    expect(summary.reduce((sum, k) => sum + k, 0)).toBe(n);
    expect(summary[0]).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Close" }).click();

    // None is left approved: each applied, or could not apply and says why.
    await page.getByText("No recommendations match these filters.").waitFor();
    const runId = new URL(auditUrl).pathname.split("/").pop()!;
    const left = (await (await page.request.get(`/api/executions/${runId}/recommendations?status=approved`)).json()) as { total: number };
    expect(left.total).toBe(0);
  });
});

describe("run pages at real size", () => {
  it("keeps the run page of the largest demo run under 3,000 px tall at 1440 × 900, on every tab", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-height"));
    await page.setViewportSize({ width: 1440, height: 900 });
    const { largestByAgent } = await findDemoRuns(page.request);
    for (const run of largestByAgent) {
      for (const tab of ["", "?tab=results", "?tab=recommendations", "?tab=log", "?tab=downloads"]) {
        await page.goto(`/executions/${run.id}${tab}`);
        await sections().waitFor();
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        expect(height, `${run.agentId} ${tab || "overview"}`).toBeLessThan(3000);
      }
    }
  }, 120_000);
});

describe("applying more than 1,000 changes", () => {
  it("applies every approved recommendation of a 1,200-item audit in the background: Stop ends after the part under way; a dropped connection, and leaving the page, do not stop it; the person is told", async () => {
    onTestFailed(() => screenshotOnFailure(page, "review-apply-parts"));
    const runUrl = await runLargeAudit(1200);
    const runId = new URL(runUrl).pathname.split("/").pop()!;
    const approvedLeft = async () => ((await (await page.request.get(`/api/executions/${runId}/recommendations?status=approved`)).json()) as { total: number }).total;
    const bar = page.getByRole("region", { name: "Selected recommendations" });
    const dialog = page.getByRole("dialog");
    const selectEveryMatch = async (query: string) => {
      await page.goto(`${runUrl}?tab=recommendations&${query}`);
      await rows().first().waitFor();
      const matching = Number((await page.getByText(/^[\d,]+ matching$/).textContent())!.replace(/\D/g, ""));
      await page.getByRole("checkbox", { name: "Select all on this page" }).first().check();
      if (matching > (await rows().count())) await bar.getByRole("button", { name: `Select all ${matching.toLocaleString("en-US")} matching` }).click();
      return matching;
    };
    // Medium and low: the high ones stay pending for details.spec, which reviews the newest SEO audit.
    for (const priority of ["medium", "low"]) {
      const pending = await selectEveryMatch(`rs=pending&rp=${priority}`);
      await bar.getByRole("button", { name: "Approve…" }).click();
      await dialog.getByRole("button", { name: `Approve ${pending.toLocaleString("en-US")} recommendations` }).click();
      await page.getByTestId("toast").filter({ hasText: /^Approved / }).waitFor();
    }

    // Slow store calls make each part of 250 last several seconds, so Stop and leaving land mid-job.
    await setHealth(page, "Slow", 25);
    let left = 0;
    try {
      const n = await selectEveryMatch("rs=approved");
      expect(n).toBeGreaterThan(500);
      await bar.getByRole("button", { name: "Preview and apply…" }).click();
      await dialog.getByRole("heading", { name: `Apply ${n.toLocaleString("en-US")} changes to the store?` }).waitFor();
      expect(await dialog.getByRole("list", { name: "Changes to apply" }).getByRole("listitem").count()).toBe(100);
      await dialog.getByText(`and ${(n - 100).toLocaleString("en-US")} more`, { exact: true }).waitFor();
      await dialog.getByRole("button", { name: `Apply ${n.toLocaleString("en-US")} changes` }).click();

      // Stop while the first part applies: the job ends after that part, and says how many it left.
      const progress = dialog.getByRole("progressbar", { name: "Changes applied" });
      await progress.waitFor();
      expect(await progress.getAttribute("max")).toBe(String(n));
      await dialog.getByRole("button", { name: "Stop" }).click();
      await dialog.getByRole("heading", { name: "Applying stopped" }).waitFor({ timeout: 60_000 });
      const stopped = await dialog.getByRole("alert").filter({ hasText: /^Stopped\. [\d,]+ changes? not applied; the changes applied stay applied\.$/ }).textContent();
      left = Number(/Stopped\. ([\d,]+)/.exec(stopped!)![1]!.replace(/,/g, ""));
      expect(left).toBeGreaterThan(0);
      expect((n - left) % 250).toBe(0);
      expect(await approvedLeft()).toBe(left);
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole("button", { name: "Close" }).click();

      // Apply the rest; the dialog's reads of its progress are cut: it says so, and the job goes on.
      expect(await selectEveryMatch("rs=approved")).toBe(left);
      await bar.getByRole("button", { name: "Preview and apply…" }).click();
      await dialog.getByRole("heading", { name: `Apply ${left.toLocaleString("en-US")} changes to the store?` }).waitFor();
      let actionCalls = 0;
      const cutAfterStart = async (route: Route) => {
        if (route.request().method() === "POST" && route.request().headers()["next-action"] && ++actionCalls > 1) return route.abort("connectionreset");
        return route.fallback();
      };
      await page.route("**/*", cutAfterStart);
      await dialog.getByRole("button", { name: `Apply ${left.toLocaleString("en-US")} changes` }).click();
      await dialog.getByRole("status").filter({ hasText: "Runlog cannot be reached right now; the apply goes on without this page" }).waitFor();
      await page.unroute("**/*", cutAfterStart);

      // Leave the page while it applies, and come back: the run page shows it under way, then what it did.
      await page.goto("/executions");
      await page.goto(runUrl);
      const underWay = page.getByRole("region", { name: "Applying in the background" });
      await underWay.getByRole("progressbar", { name: "Changes applied" }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await underWay.getByRole("heading", { name: /^Applied/ }).waitFor({ timeout: 90_000 });
      const summary = (await underWay.getByTestId("apply-summary").getByRole("listitem").allTextContents()).map((line) => Number(line.replace(/\D/g, "")));
      expect(summary.reduce((sum, k) => sum + k, 0)).toBe(left);
      expect(await approvedLeft()).toBe(0);
    } finally {
      await setHealth(page, "Active");
    }

    // Each job told the person how it ended.
    await page.goto("/notifications");
    await page.getByText(`Applied ${left.toLocaleString("en-US")} changes to the store`, { exact: true }).first().waitFor();
    await page.getByText(/^Applying stopped after [\d,]+ changes$/).first().waitFor();
  }, 240_000);
});
