/**
 * What a person sees when a form's save gets no answer: the connection drops on the way, or the
 * server answers 503 (as proxy.ts does while the database is unreachable). The page stays, the
 * form says so in a sentence and keeps what was typed, and saving again once Runlog answers saves it.
 */
import type { Page, Route } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { unansweredForm } from "@/lib/http/reachable-action";
import { unavailableMessage } from "@/lib/unexpected-failure";
import { launchBrowser, newPage, screenshotOnFailure, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

/**
 * Cuts every server action call `on` makes until the returned function is called: the
 * connection drops (`abort`), or an answer of 503 with the outage's sentence, as a plain body
 * (`503`, what a proxy in front of Runlog may send) or as Runlog's own proxy sends it to an action
 * (`503 from Runlog`, text/plain: Next.js hands that sentence to the page).
 */
async function cutActions(on: Page, how: "abort" | "503" | "503 from Runlog"): Promise<() => Promise<void>> {
  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.fallback();
    if (how === "abort") return route.abort("internetdisconnected");
    return route.fulfill({ status: 503, body: unavailableMessage, ...(how === "503 from Runlog" ? { contentType: "text/plain" } : {}) });
  };
  await on.route("**/*", handler);
  return () => on.unroute("**/*", handler);
}

const cuts = [
  { how: "abort", sentence: unansweredForm.unknown },
  { how: "503", sentence: unansweredForm.unknown },
  { how: "503 from Runlog", sentence: unansweredForm.refused },
] as const;

/** The error page (app/error.tsx) that used to replace the whole page. */
async function expectNoErrorPage(on: Page): Promise<void> {
  expect(await on.getByRole("heading", { name: /^(Something went wrong|Runlog is unavailable)$/ }).count()).toBe(0);
}

describe("a save that gets no answer", () => {
  it("keeps an edited generated description with a sentence, and saves it once Runlog answers", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-generated"));
    await page.goto("/executions?agent=product-description-writer&status=completed");
    await page.getByTestId("execution-row").first().getByTestId("execution-link").click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: /^Generated texts/ }).click();
    await page.waitForURL(/tab=/);
    const edit = page.locator('[data-testid="recommendation-row"][data-status="pending"], [data-testid="recommendation-row"][data-status="approved"]')
      .getByRole("button", { name: /^Edit Description of / })
      .first();
    const label = (await edit.getAttribute("aria-label"))!.replace(/^Edit /, "");
    await edit.click();
    const text = `Rewritten offline ${Date.now()}: soft wool, sewn to last.`;
    const box = page.getByRole("textbox", { name: label });
    await box.fill(text);

    for (const { how, sentence } of cuts) {
      const restore = await cutActions(page, how);
      try {
        await page.getByRole("button", { name: "Save" }).click();
        await page.getByRole("alert").filter({ hasText: sentence }).waitFor({ timeout: 10_000 });
      } finally {
        await restore();
      }
      await expectNoErrorPage(page);
      expect(await box.inputValue()).toBe(text);
    }

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.reload();
    const search = page.getByRole("search", { name: "Filter recommendations" });
    await search.getByLabel("Item or field").fill(label.replace(/^Description of /, ""));
    await search.getByLabel("Item or field").press("Enter");
    await page.waitForURL(/rq=/);
    await page.locator(`[data-testid="recommendation-row"][data-after="${text}"]`).waitFor();
  });

  it("keeps the retention periods typed into the settings form, and saves them once Runlog answers", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-retention"));
    await page.goto("/settings/retention");
    const success = page.getByLabel("Completed and partial runs, days");
    const failure = page.getByLabel("Failed and canceled runs, days");
    const saved = { success: await success.inputValue(), failure: await failure.inputValue() };
    const typed = { success: String(Number(saved.success) + 17), failure: String(Number(saved.failure) + 3) };
    try {
      await success.fill(typed.success);
      await failure.fill(typed.failure);
      for (const { how, sentence } of cuts) {
        const restore = await cutActions(page, how);
        try {
          await page.getByRole("button", { name: "Save" }).click();
          await page.getByRole("alert").filter({ hasText: sentence }).waitFor({ timeout: 10_000 });
        } finally {
          await restore();
        }
        await expectNoErrorPage(page);
        expect([await success.inputValue(), await failure.inputValue()]).toEqual([typed.success, typed.failure]);
      }
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      await page.reload();
      expect([await success.inputValue(), await failure.inputValue()]).toEqual([typed.success, typed.failure]);
    } finally {
      // Other files' tests expect the seed's periods.
      await page.goto("/settings/retention");
      await success.fill(saved.success);
      await failure.fill(saved.failure);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    }
  });

  it("keeps the password typed into a share link's form, and opens the link once Runlog answers; without JavaScript the form still posts", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-link-admin"));
    await page.goto("/executions?agent=seo-audit&status=completed");
    await page.getByTestId("execution-row").first().getByTestId("execution-link").click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: /^Share / });
    await dialog.getByRole("tab", { name: "Link" }).click();
    await dialog.getByLabel("Link password").fill("outage-proof-8");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByLabel("New link").inputValue();

    const browser = await launchBrowser();
    try {
      const { page: visitor } = await newPage(browser);
      onTestFailed(() => screenshotOnFailure(visitor, "unreachable-link-visitor"));
      await visitor.goto(link);
      const protectedHeading = visitor.getByRole("heading", { name: "This shared execution is protected" });
      await protectedHeading.waitFor();
      await visitor.getByLabel("Password").fill("outage-proof-8");
      for (const { how, sentence } of cuts) {
        const restore = await cutActions(visitor, how);
        try {
          await visitor.getByRole("button", { name: "Open" }).click();
          await visitor.getByRole("alert").filter({ hasText: sentence }).waitFor({ timeout: 10_000 });
        } finally {
          await restore();
        }
        await expectNoErrorPage(visitor);
        expect(await protectedHeading.isVisible()).toBe(true);
        expect(await visitor.getByLabel("Password").inputValue()).toBe("outage-proof-8");
      }
      // The action answers with a redirect to the link, which still navigates through reachableForm().
      await visitor.getByRole("button", { name: "Open" }).click();
      await visitor.getByRole("heading", { name: "SEO audit" }).waitFor();
      await visitor.reload();
      await visitor.getByRole("heading", { name: "SEO audit" }).waitFor();

      const noScript = await browser.newContext({ javaScriptEnabled: false });
      const bare = await noScript.newPage();
      await bare.goto(link);
      await bare.getByLabel("Password").fill("not-the-password");
      await bare.getByRole("button", { name: "Open" }).click();
      await bare.getByRole("alert").filter({ hasText: "That password is not right" }).waitFor();
      await bare.getByLabel("Password").fill("outage-proof-8");
      await bare.getByRole("button", { name: "Open" }).click();
      await bare.getByRole("heading", { name: "SEO audit" }).waitFor();
    } finally {
      await browser.close();
    }
  });
});
