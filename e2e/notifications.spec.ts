import type { Page } from "playwright-core";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, setHealth, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));
afterAll(async () => {
  // Leave the store connection as other specs expect it, whatever happened above.
  if (page) await setHealth(page, "Active").catch(() => {});
});

describe("failure alerts", () => {
  it("rings the bell within seconds of a failed run, links to its troubleshooting, and puts the email in the outbox", async () => {
    onTestFailed(() => screenshotOnFailure(page, "notifications-failure-alert"));
    await page.goto("/settings/notifications");
    const failureAlerts = page.getByLabel("Failure alerts");
    if (!(await failureAlerts.isChecked())) await failureAlerts.check();
    const email = page.getByLabel("Also by email");
    if (!(await email.isChecked())) await email.check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    // Slow calls leave time to drop the connection while the run is under way.
    await setHealth(page, "Slow", 4000);
    await page.goto("/agents/seo-audit");
    await page.getByLabel("At most").fill("400");
    await page.getByRole("button", { name: "Check cost" }).click();
    await page.getByTestId("estimate").waitFor();
    await page.getByRole("button", { name: "Run agent" }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    const executionId = page.url().split("/").pop()!;
    await setHealth(page, "Lost");

    // Anywhere in the app, the bell picks the alert up by itself.
    await page.goto("/executions");
    const alertLink = `/executions/${executionId}#troubleshooting-heading`;
    const bell = page.getByRole("button", { name: /^Notifications/ });
    await bell.click();
    // The open list refreshes itself every few seconds; the run fails at its next batch.
    const link = page.getByRole("dialog", { name: "Notifications" }).locator(`a[href="${alertLink}"]`);
    await link.waitFor({ timeout: 45_000 });
    expect(await page.getByTestId("notification-count").textContent()).toMatch(/^[1-9]\d*\+?$/);
    expect(await link.textContent()).toContain("SEO audit failed");
    expect(await link.textContent()).toContain("The connection to the store was lost");
    await link.click();
    await page.waitForURL((url) => url.pathname === `/executions/${executionId}`);
    await page.locator("#troubleshooting-heading").waitFor();

    await page.goto("/email-outbox");
    const sent = page.locator("details", { hasText: executionId });
    await sent.locator("summary").click();
    expect(await sent.locator("summary").textContent()).toContain("admin@acme.test");
    expect(await sent.locator("summary").textContent()).toContain("Runlog: SEO audit failed");
    expect(await sent.locator("pre").textContent()).toContain(alertLink);

    await setHealth(page, "Active");
  });
});
