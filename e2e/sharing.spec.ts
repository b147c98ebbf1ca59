import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;
let admin: Page;
let lee: Page;
let executionUrl: string;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page: admin } = await newPage(browser));
  ({ page: lee } = await newPage(browser));
  await signIn(admin, "admin@acme.test");
  await signIn(lee, "lee@acme.test");
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh SEO audit by the admin over 20 pages: nobody else can see it until it is shared. */
async function runAuditAsAdmin(): Promise<string> {
  await admin.goto("/agents/seo-audit");
  await admin.getByLabel("Include products").uncheck();
  await admin.getByLabel("At most").fill("20");
  await admin.getByRole("button", { name: "Check cost" }).click();
  await admin.getByTestId("estimate").waitFor();
  await admin.getByRole("button", { name: "Run agent" }).click();
  await admin.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
  await admin.getByRole("heading", { level: 1 }).locator("..").getByText("Completed", { exact: true }).waitFor({ timeout: 45_000 });
  return admin.url();
}

async function openShareDialog() {
  await admin.goto(executionUrl);
  await admin.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = admin.getByRole("dialog", { name: /^Share / });
  await dialog.getByRole("table", { name: "Who has access" }).or(dialog.getByText("Only you")).first().waitFor();
  return dialog;
}

describe("sharing an execution", () => {
  it("shares view-only with a message, then upgrades to apply, and the member applies one recommendation", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "sharing-admin"));
    onTestFailed(() => screenshotOnFailure(lee, "sharing-lee"));
    executionUrl = await runAuditAsAdmin();
    const response = await lee.goto(executionUrl);
    expect(response?.status()).toBe(404);

    const dialog = await openShareDialog();
    await dialog.getByLabel("Find people").fill("lee");
    await dialog.getByRole("checkbox", { name: /Lee Analyst/ }).check();
    await dialog.getByLabel("Permission", { exact: true }).selectOption("view");
    await dialog.getByLabel("Message").fill("Please check the page titles before Friday");
    await dialog.getByRole("button", { name: "Share", exact: true }).click();
    await dialog.getByRole("status").filter({ hasText: "Shared with 1 person." }).waitFor();
    await dialog.getByTestId("member-grant").filter({ hasText: "Lee Analyst" }).waitFor();

    await lee.goto("/shared");
    const shared = lee.getByTestId("shared-row").filter({ hasText: "Please check the page titles before Friday" });
    expect(await shared.textContent()).toContain("view only");
    await shared.getByRole("link").first().click();
    await lee.waitForURL(executionUrl);
    // The run's page says who shared it, what lee may do and the message.
    expect(await lee.getByTestId("shared-with-you").textContent()).toMatch(/Shared by Avery Admin · view only · .*Please check the page titles before Friday/);
    await lee.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: /^Recommendations/ }).click();
    await lee.getByTestId("recommendation-row").first().waitFor();
    expect(await lee.getByRole("button", { name: "Preview and apply…" }).count()).toBe(0);
    expect(await lee.getByTestId("recommendation-row").first().getByRole("checkbox").count()).toBe(0);

    await dialog.getByLabel("Permission for Lee Analyst").selectOption("apply");
    await dialog.getByRole("status").filter({ hasText: "Permission changed" }).waitFor();

    await lee.reload();
    expect(await lee.getByTestId("shared-with-you").textContent()).toContain("can apply");
    const row = lee.locator('[data-testid="recommendation-row"][data-status="pending"]').first();
    await row.getByRole("checkbox").check();
    await lee.getByRole("button", { name: "Preview and apply…" }).click();
    const preview = lee.getByRole("dialog");
    await preview.getByRole("button", { name: "Apply 1 change" }).click();
    await lee.getByTestId("toast").filter({ hasText: "1 applied." }).waitFor();
  });

  it("opens a password link with a 7-day expiry only with the right password, until the admin revokes it", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "sharing-link-admin"));
    const dialog = await openShareDialog();
    await dialog.getByRole("tab", { name: "Link" }).click();
    await dialog.getByLabel("Link password").fill("agency-review-7");
    await dialog.getByLabel("Expires after").selectOption("7d");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByLabel("New link").inputValue();
    expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);

    // A fresh browser context: no account, no cookies.
    const { context, page: visitor } = await newPage(browser);
    onTestFailed(() => screenshotOnFailure(visitor, "sharing-link-visitor"));
    await visitor.goto(link);
    await visitor.getByRole("heading", { name: "This shared execution is protected" }).waitFor();
    // Its downloads stay shut too until the password is given.
    const early = await visitor.request.get(`${link}/download/pdf`);
    expect(early.status()).toBe(401);
    expect(((await early.json()) as { error: { message: string } }).error.message).toBe("Open the link and enter its password first.");
    await visitor.getByLabel("Password").fill("not-the-password");
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByRole("alert").filter({ hasText: "That password is not right" }).waitFor();
    await visitor.getByLabel("Password").fill("agency-review-7");
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByRole("heading", { name: "SEO audit" }).waitFor();
    // A link hides people's names unless its creator chose to show them.
    expect(await visitor.getByText("Shared by a teammate").count()).toBe(1);
    await visitor.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: /^Recommendations/ }).click();
    await visitor.getByTestId("recommendation-row").first().waitFor();
    expect(await visitor.getByTestId("recommendation-row").first().getByRole("checkbox").count()).toBe(0);
    expect(await visitor.getByRole("button", { name: "Preview and apply…" }).count()).toBe(0);
    // Downloads work through the link, with the password cookie scoped to it.
    await visitor.getByRole("button", { name: "Download", exact: true }).click();
    const [download] = await Promise.all([visitor.waitForEvent("download"), visitor.getByRole("menuitem", { name: "PDF report" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^runlog-seo-audit-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
    expect(await download.failure()).toBeNull();
    // Without JavaScript (or before it has loaded on a slow phone) the password form opens it too.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const bare = await noScript.newPage();
      await bare.goto(new URL(link, admin.url()).toString());
      await bare.getByLabel("Password").fill("agency-review-7");
      await bare.getByRole("button", { name: "Open" }).click();
      await bare.getByRole("heading", { name: "SEO audit" }).waitFor();
    } finally {
      await noScript.close();
    }

    // A member who can see the run anyway, with the link but not its password, is offered the run in Runlog.
    await admin.goto(link);
    await admin.getByRole("heading", { name: "This shared execution is protected" }).waitFor();
    await admin.getByRole("button", { name: "Open in Runlog" }).click();
    await admin.waitForURL(executionUrl);
    await admin.getByRole("heading", { name: "SEO audit", level: 1 }).waitFor();

    // The admin sees the open in the access log, then revokes the link.
    await admin.reload();
    const again = await openShareDialog();
    await again.getByText("Opened").click();
    await again.getByRole("table", { name: "Access log" }).getByText("Someone with the link").first().waitFor();
    await again.getByRole("button", { name: "Revoke link" }).click();
    await again.getByRole("button", { name: "Confirm: revoke link" }).click();
    await again.getByRole("status").filter({ hasText: "Access revoked." }).waitFor();

    const gone = await visitor.goto(link);
    expect(gone?.status()).toBe(404);
    await visitor.getByRole("heading", { name: "This link is no longer available" }).waitFor();
    const goneDownload = await visitor.request.get(`${link}/download/pdf`);
    expect(goneDownload.status()).toBe(404);
    expect(((await goneDownload.json()) as { error: { message: string } }).error.message).toBe("This link is no longer available.");
    await context.close();
  });

  it("lets someone signed in to another account sign in as a member from a link's page, instead of bouncing back", async () => {
    await admin.goto("/sign-in?callbackUrl=%2Fcredits");
    await admin.waitForURL(/\/credits$/);
    // What a link's "Sign in as a member" offers someone already signed in.
    await admin.goto("/sign-in?callbackUrl=%2Fcredits&switch=1");
    await admin.getByRole("status").filter({ hasText: "You are signed in with an account that is not a member of that workspace." }).waitFor();
    expect(new URL(admin.url()).pathname).toBe("/sign-in");
    await admin.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("shows a link's visitor no credits and no staff names by default, in the page and its CSV, and both once the link is created to show them", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "sharing-disclosure-admin"));
    const createLink = async (shows: ("Show credits" | "Show people's names")[]) => {
      const dialog = await openShareDialog();
      await dialog.getByRole("tab", { name: "Link" }).click();
      expect(await dialog.getByLabel("Show credits", { exact: true }).isChecked()).toBe(false);
      expect(await dialog.getByLabel("Show people's names", { exact: true }).isChecked()).toBe(false);
      for (const label of shows) await dialog.getByLabel(label, { exact: true }).check();
      await dialog.getByLabel("Link password").fill("outsider-view-9");
      await dialog.getByRole("button", { name: "Create link" }).click();
      return dialog.getByLabel("New link").inputValue();
    };
    const open = async (link: string) => {
      const visited = await newPage(browser);
      onTestFailed(() => screenshotOnFailure(visited.page, "sharing-disclosure-visitor"));
      await visited.page.goto(link);
      await visited.page.getByLabel("Password").fill("outsider-view-9");
      await visited.page.getByRole("button", { name: "Open" }).click();
      await visited.page.getByRole("heading", { name: "SEO audit" }).waitFor();
      return visited;
    };
    const csvOf = async (page: Page, link: string, part: string) => {
      const answer = await page.request.get(`${link}/download/csv?part=${part}`);
      expect(answer.status()).toBe(200);
      return answer.text();
    };

    const hidden = await open(await createLink([]));
    const link = hidden.page.url();
    const overviewText = await hidden.page.locator("main").innerText();
    expect(overviewText).not.toMatch(/credit/i);
    expect(overviewText).not.toContain("Avery Admin");
    expect(overviewText).toContain("A teammate");
    expect(overviewText).not.toMatch(/previous run|earlier completed run/i);
    await hidden.page.goto(`${link}?tab=log`);
    await hidden.page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Log" }).waitFor();
    const logText = await hidden.page.locator("main").innerText();
    expect(logText).not.toMatch(/charged \d|\d+ credits|reserved credits/i);
    expect(logText).not.toContain("Avery Admin");
    await hidden.page.goto(`${link}?tab=results`);
    expect(await hidden.page.locator("main").innerText()).not.toMatch(/since the previous run|No earlier completed run/);
    for (const part of ["overview", "log"]) {
      const csv = await csvOf(hidden.page, link, part);
      expect(csv, part).not.toMatch(/credits_|charged \d|\d+ credits|reserved credits/i);
      expect(csv, part).not.toContain("Avery Admin");
    }
    await hidden.context.close();

    const shown = await open(await createLink(["Show credits", "Show people's names"]));
    const shownText = await shown.page.locator("main").innerText();
    expect(shownText).toMatch(/\d+ credits/);
    expect(shownText).toContain("Avery Admin");
    const csv = await csvOf(shown.page, shown.page.url(), "overview");
    expect(csv).toMatch(/credits_charged,\d+/);
    expect(csv).toContain("Avery Admin");
    await shown.context.close();
  });
});
