import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { seriousViolations } from "./axe";
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
});
