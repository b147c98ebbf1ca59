import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { everyViolation, seriousViolations, type AxeViolation } from "./axe";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";
import { adminWalk, createShareLink, findDemoRuns, linkWalk, memberLargestRun, memberWalk, type DemoRuns, type WalkedPage } from "./page-walk";

let browser: Browser;
let admin: Page;
let member: Page;
let runs: DemoRuns;

beforeAll(async () => {
  browser = await launchBrowser();
  ({ page: admin } = await newPage(browser));
  ({ page: member } = await newPage(browser));
  await signIn(admin, "admin@acme.test");
  await signIn(member, "maya@acme.test");
  runs = await findDemoRuns(admin.request);
});
afterAll(async () => {
  await browser?.close();
});

/** Every serious or critical axe-core finding on the pages, one line each: page, rule, elements. */
async function findings(page: Page, walk: WalkedPage[]): Promise<string[]> {
  const found: string[] = [];
  for (const walked of walk) {
    const response = await page.goto(walked.path);
    expect(response?.status(), walked.path).toBe(200);
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
    for (const v of await seriousViolations(page)) found.push(`${walked.name} (${walked.path}): ${v.id} [${v.impact}] ${v.help} — ${v.targets.join(" | ")}`);
  }
  return found;
}

/** A finding as one line: where, rule, impact, elements. */
const findingLine = (where: string) => (v: AxeViolation) => `${where}: ${v.id} [${v.impact}] ${v.help} — ${v.targets.join(" | ")}`;

/** Whether the focus is on `locator` or inside it. */
const hasFocus = (locator: Locator) => locator.evaluate((element) => element.contains(document.activeElement));

/**
 * Opens a modal dialog from the keyboard and checks what a keyboard user relies on: the focus
 * moves into it; Tab goes round its controls, each visibly focused, and reaches nothing behind it
 * (between its last control and its first the browser's own come, the address bar, when the page
 * shows its body); Esc closes it and the focus is back on what opened it. Answers every axe-core
 * finding while it is open, after `whileOpen` (what it loads, a pointer resting on a button).
 */
async function checkModal(page: Page, opener: Locator, dialog: Locator, where: string, whileOpen?: () => Promise<void>): Promise<string[]> {
  await opener.focus();
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  await whileOpen?.();
  const found = (await everyViolation(page)).map(findingLine(where));
  expect(await hasFocus(dialog), `${where}: the focus moves into the dialog`).toBe(true);
  for (let n = 0; n < 12; n++) {
    await page.keyboard.press("Tab");
    const stop = await dialog.evaluate((shown) => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) return "ok";
      if (!shown.contains(focused)) return `left the dialog for ${focused.outerHTML.slice(0, 80)}`;
      return focused.matches(":focus-visible") && getComputedStyle(focused).outlineStyle !== "none" ? "ok" : `no visible focus on ${focused.outerHTML.slice(0, 80)}`;
    });
    expect(stop, `${where}: Tab ${n + 1}`).toBe("ok");
  }
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  expect(await hasFocus(opener), `${where}: the focus is back on what opened it`).toBe(true);
  return found;
}

describe("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  // About 50 pages in all: each test walks its share with time to spare on a loaded machine.
  it("finds no serious or critical violation on any main page signed in as an admin", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "a11y-admin"));
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(await findings(admin, adminWalk(runs).filter((p) => !p.path.startsWith("/executions/")))).toEqual([]);
  }, 240_000);

  it("finds none on Past executions on a phone, with the header's account button", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "a11y-admin-phone"));
    await admin.setViewportSize({ width: 390, height: 844 });
    expect(await findings(admin, [{ who: "admin", name: "Past executions", path: "/executions" }, { who: "admin", name: "Past executions, searched", path: "/executions?q=meta" }])).toEqual([]);
    await admin.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);

  it("finds none with each kind of menu open, and the account panel is reached and left with Tab", async () => {
    onTestFailed(() => screenshotOnFailure(member, "a11y-open-menus"));
    const openFindings = async (where: string) => (await seriousViolations(member)).map((v) => `${where}: ${v.id} [${v.impact}] ${v.help} — ${v.targets.join(" | ")}`);
    const found: string[] = [];
    // Maya is in two workspaces, so on a phone her account panel holds the workspace switcher too.
    await member.setViewportSize({ width: 390, height: 844 });
    await member.goto("/executions");
    const account = member.getByRole("button", { name: /^Account: / });
    await account.click();
    const panel = member.getByRole("dialog", { name: /^Account: / });
    await panel.waitFor();
    expect(await panel.getByLabel("Workspace", { exact: true }).evaluate((select) => select === document.activeElement)).toBe(true);
    found.push(...await openFindings("account panel, phone"));
    // Tab goes through the panel's controls like the page's, and out of it, which closes it.
    await member.keyboard.press("Tab");
    expect(await member.evaluate(() => document.activeElement?.textContent)).toBe("Switch");
    await member.keyboard.press("Tab");
    expect(await member.evaluate(() => document.activeElement?.textContent)).toBe("Sign out");
    await member.keyboard.press("Tab");
    await panel.waitFor({ state: "detached" });
    await account.click();
    await panel.waitFor();
    await member.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });
    expect(await account.evaluate((button) => button === document.activeElement)).toBe(true);

    await member.setViewportSize({ width: 1440, height: 900 });
    await member.getByRole("button", { name: /^Actions for/ }).first().click();
    await member.getByRole("menu").waitFor();
    found.push(...await openFindings("a row's actions menu"));
    await member.keyboard.press("Escape");
    await member.getByRole("menu").waitFor({ state: "detached" });
    await member.goto(`/executions/${await memberLargestRun(member.request)}`);
    await member.getByRole("button", { name: "Download" }).click();
    await member.getByRole("menu", { name: "Download" }).waitFor();
    found.push(...await openFindings("a run's Download menu"));
    expect(found).toEqual([]);
  }, 60_000);

  it("finds none on run pages, each tab, and a comparison, as an admin", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "a11y-admin-runs"));
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(await findings(admin, adminWalk(runs).filter((p) => p.path.startsWith("/executions/")))).toEqual([]);
  }, 240_000);

  it("finds none signed in as a member", async () => {
    onTestFailed(() => screenshotOnFailure(member, "a11y-member"));
    expect(await findings(member, memberWalk(await memberLargestRun(member.request)))).toEqual([]);
  }, 240_000);

  it("finds none on a share link, on each of its tabs, nor on a phone", async () => {
    const link = await createShareLink(admin, runs.largest.id);
    const { context, page: visitor } = await newPage(browser);
    onTestFailed(() => screenshotOnFailure(visitor, "a11y-link"));
    const tabs = linkWalk(link);
    expect(await findings(visitor, tabs)).toEqual([]);
    await visitor.setViewportSize({ width: 390, height: 844 });
    expect(await findings(visitor, tabs.slice(0, 1))).toEqual([]);
    await context.close();
  }, 120_000);

  // What a walk of pages as loaded does not reach. Findings of every impact count here, best practices too.
  it("finds nothing in any dialog or panel, each opened, left and closed from the keyboard", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "a11y-dialogs"));
    const found: string[] = [];
    await admin.setViewportSize({ width: 1440, height: 900 });

    // A run's Share dialog, then its Link tab with a link made (behind a password), and the delete confirmation.
    await admin.goto(`/executions/${runs.largest.id}`);
    const share = admin.getByRole("dialog", { name: /^Share / });
    found.push(...await checkModal(admin, admin.getByRole("button", { name: "Share", exact: true }).first(), share, "Share dialog, people", () => share.getByRole("form", { name: "Share with people" }).waitFor()));
    await admin.getByRole("button", { name: "Share", exact: true }).first().click();
    await share.getByRole("tab", { name: "Link" }).click();
    await share.getByLabel("Link password").fill("the-right-password");
    await share.getByRole("button", { name: "Create link" }).click();
    const link = await share.getByLabel("New link").inputValue();
    found.push(...(await everyViolation(admin)).map(findingLine("Share dialog, link created")));
    await admin.keyboard.press("Escape");
    found.push(...await checkModal(admin, admin.getByRole("button", { name: "Delete…" }), admin.getByRole("dialog", { name: /^Delete / }), "Delete confirmation"));

    // The selection bar on a run's recommendations, a Reject confirmation and the apply preview, which counts first.
    await admin.goto(`/executions/${runs.largestByAgent.find((r) => r.agentId === "seo-audit")!.id}?tab=recommendations`);
    const recommendations = admin.getByTestId("recommendation-row");
    await recommendations.nth(0).getByRole("checkbox").check();
    await recommendations.nth(1).getByRole("checkbox").check();
    const chosen = admin.getByRole("region", { name: "Selected recommendations" });
    found.push(...await checkModal(admin, chosen.getByRole("button", { name: "Reject…" }), admin.getByRole("dialog", { name: /^Reject / }), "Reject confirmation"));
    found.push(...await checkModal(admin, chosen.getByRole("button", { name: "Preview and apply…" }), admin.getByRole("dialog", { name: /^Apply / }), "Apply preview"));

    // Past executions: rows selected, deleted in bulk; every match selected, whose count takes the focus, deleted and shared.
    await admin.goto("/executions");
    const rows = admin.getByTestId("execution-row");
    await rows.nth(0).getByRole("checkbox").check();
    await rows.nth(1).getByRole("checkbox").check();
    const selection = admin.getByRole("region", { name: "Selected executions" });
    found.push(...await checkModal(admin, selection.getByRole("button", { name: "Delete selected" }), admin.getByRole("dialog", { name: /^Delete / }), "Bulk delete"));
    await admin.getByRole("checkbox", { name: "Select all on this page" }).check();
    await selection.getByRole("button", { name: "Select all matching" }).focus();
    await admin.keyboard.press("Enter");
    const allSelected = selection.getByText(/^All [\d,]+ matching selected$/);
    await allSelected.waitFor();
    expect(await hasFocus(allSelected), "the count of every match takes the focus from the button it replaces").toBe(true);
    const deleteAll = admin.getByRole("dialog", { name: /^Delete [\d,]+ runs\?$/ });
    // A pointer resting on the red button, to check its hover colour too.
    found.push(...await checkModal(admin, selection.getByRole("button", { name: /^Delete [\d,]+…$/ }), deleteAll, "Delete every match", () => deleteAll.getByRole("button", { name: /^Delete [\d,]+ runs$/ }).hover()));
    found.push(...await checkModal(admin, selection.getByRole("button", { name: /^Share [\d,]+…$/ }), admin.getByRole("dialog", { name: /^Share [\d,]+ runs with/ }), "Share every match"));
    found.push(...await checkModal(admin, admin.getByRole("button", { name: "Save view…" }), admin.getByRole("dialog", { name: "Save these filters as a view" }), "Save view"));

    // The notifications panel (not modal): the focus goes in, Esc closes it and gives it back to the bell.
    const bell = admin.getByRole("button", { name: /^Notifications/ });
    await bell.focus();
    await admin.keyboard.press("Enter");
    const notices = admin.getByRole("dialog", { name: "Notifications" });
    await notices.getByRole("link", { name: "All notifications" }).waitFor();
    expect(await hasFocus(notices), "the notifications panel takes the focus").toBe(true);
    found.push(...(await everyViolation(admin)).map(findingLine("Notifications panel")));
    await admin.keyboard.press("Escape");
    await notices.waitFor({ state: "detached" });
    expect(await hasFocus(bell), "Esc gives the focus back to the bell").toBe(true);

    // On a phone: the navigation, and a share link's password page after a wrong password.
    await admin.setViewportSize({ width: 390, height: 844 });
    found.push(...await checkModal(admin, admin.getByRole("button", { name: "Menu" }), admin.getByRole("dialog", { name: "Navigation" }), "Phone navigation"));
    const { context, page: visitor } = await newPage(browser);
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.goto(link);
    await visitor.getByLabel("Password").fill("not-the-password");
    await visitor.getByRole("button", { name: "Open" }).click();
    await visitor.getByRole("alert").filter({ hasText: /\w/ }).waitFor();
    found.push(...(await everyViolation(visitor)).map(findingLine("Share link, wrong password")));
    await context.close();
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(found).toEqual([]);
  }, 90_000);

  it("finds nothing in forms showing their answers, nor in wide tables on a phone, which scroll from the keyboard", async () => {
    onTestFailed(() => screenshotOnFailure(admin, "a11y-answers"));
    const found: string[] = [];
    const check = async (where: string) => found.push(...(await everyViolation(admin)).map(findingLine(where)));
    await admin.setViewportSize({ width: 1440, height: 900 });
    await admin.goto("/settings/api-tokens");
    await admin.getByLabel("Name").fill("Accessibility check");
    await admin.getByRole("button", { name: "Create token" }).click();
    await admin.getByTestId("new-api-token").waitFor();
    await check("API token created");
    await admin.goto("/workflows");
    const workflow = admin.locator("form").filter({ has: admin.getByRole("button", { name: "Create workflow" }) });
    await workflow.getByLabel("Name").fill("Accessibility check");
    await workflow.getByLabel("Custom cron schedule").fill("every monday");
    await workflow.getByRole("button", { name: "Create workflow" }).click();
    await workflow.getByRole("alert").waitFor();
    await check("Workflow refused");
    // Past the browser's own checks, to show the server's sentence.
    await admin.goto("/settings/retention");
    const retention = admin.locator("form").filter({ has: admin.getByRole("button", { name: "Save" }) });
    await retention.evaluate((form: HTMLFormElement) => (form.noValidate = true));
    await retention.getByLabel("Failed and canceled runs, days").fill("3");
    await retention.getByRole("button", { name: "Save" }).click();
    await retention.getByRole("alert").waitFor();
    await check("Retention refused");

    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.goto("/settings/webhooks");
    const webhook = admin.locator("form").filter({ has: admin.getByRole("button", { name: "Add webhook" }) });
    await webhook.getByLabel("Endpoint URL").fill("http://127.0.0.1/hook");
    await webhook.getByRole("button", { name: "Add webhook" }).click();
    await webhook.getByRole("alert").waitFor();
    await check("Webhook refused, phone");
    for (const [where, path] of [["Credits", "/credits"], ["Archived", "/archived"], ["Compare", `/executions/compare?ids=${runs.comparable.join(",")}`]]) {
      await admin.goto(path!);
      await admin.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
      await check(`${where}, phone`);
    }
    await admin.setViewportSize({ width: 1440, height: 900 });
    expect(found).toEqual([]);
  }, 60_000);
});
