import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(email: string, name: string): Promise<Page> {
  const { page } = await newPage(browser);
  onTestFailed(() => screenshotOnFailure(page, name));
  await signIn(page, email);
  return page;
}

/** Rows of a CSV file as Python's csv module reads them: an independent parser. */
function parseCsv(file: string): string[][] {
  const script = "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))";
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as string[][];
}

describe("credit insights and the audit log", () => {
  it("shows the admin usage by agent and member, and exports the filtered ledger as CSV", async () => {
    const page = await signedIn("admin@acme.test", "insights-admin");
    await page.goto("/credits?period=365");
    await page.getByRole("heading", { name: "Value per agent" }).waitFor();
    expect(await page.getByTestId("agent-value").count()).toBeGreaterThanOrEqual(3);
    await page.locator("figure svg").first().waitFor();
    const members = page.getByTestId("member-usage");
    expect(await members.count()).toBeGreaterThanOrEqual(3);
    expect(await members.filter({ hasText: "Maya Marketer" }).count()).toBe(1);

    const filters = page.getByRole("search", { name: "Filter the ledger" });
    await filters.getByLabel("Member").selectOption({ label: "Maya Marketer" });
    await filters.getByLabel("Agent").selectOption({ label: "SEO audit" });
    await filters.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/member=.*agent=seo-audit|agent=seo-audit.*member=/);
    const rows = page.getByTestId("ledger-row");
    await rows.first().waitFor();
    const shown = await rows.allTextContents();
    expect(shown.every((text) => text.includes("Maya Marketer") && text.includes("SEO audit"))).toBe(true);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runlog-ledger-")), download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^runlog-credits-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = parseCsv(file);
    expect(header).toEqual(["id", "at", "kind", "amount", "balance_after", "agent_id", "agent", "member", "execution_id", "note"]);
    expect(records.length).toBeGreaterThanOrEqual(shown.length);
    expect(records.every((r) => r[5] === "seo-audit" && r[7] === "Maya Marketer")).toBe(true);
  });

  it("shows a member only their own usage, with no per-member breakdown", async () => {
    const page = await signedIn("maya@acme.test", "insights-member");
    await page.goto("/credits?period=365");
    await page.getByText("Your own usage").waitFor();
    expect(await page.getByTestId("member-usage").count()).toBe(0);
    expect(await page.getByRole("search", { name: "Filter the ledger" }).getByLabel("Member").count()).toBe(0);
    const rows = await page.getByTestId("ledger-row").allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((text) => text.includes("Maya Marketer"))).toBe(true);
  });

  it("filters the audit log to shares and refuses members", async () => {
    const admin = await signedIn("admin@acme.test", "audit-admin");
    await admin.goto("/audit?category=shares");
    const rows = admin.getByTestId("audit-row");
    await rows.first().waitFor();
    // In words: what was done to a share, never the raw action key.
    const texts = await rows.allTextContents();
    expect(texts.every((text) => /Shared a run with members|Shared every run a filter matched with members|Changed a share|Revoked a share|Created a share link|Took a share link into Runlog/.test(text))).toBe(true);
    expect(texts.some((text) => text.includes("share.") || text.includes("{"))).toBe(false);
    // Who a run was shared with by name, and the run it concerns rather than the share's own id.
    expect(texts.some((text) => /With: (Sam Seller|Lee Analyst|Maya Marketer)/.test(text))).toBe(true);
    // (A bulk share, which other browser tests make, concerns every run a filter matched, not one.)
    const oneRun = texts.filter((text) => !text.includes("every run a filter matched"));
    expect(oneRun.length).toBeGreaterThan(0);
    expect(oneRun.every((text) => /Run [0-9a-f]{8}/.test(text) && !/share [0-9a-f]{8}|[0-9a-f]{8}-[0-9a-f]{4}-/.test(text))).toBe(true);
    const bad = await admin.goto("/api/audit?from=yesterday");
    expect(bad?.status()).toBe(400);
    expect(await bad?.text()).toContain("From date: Use a date like 2026-03-31.");

    const member = await signedIn("maya@acme.test", "audit-member");
    const response = await member.goto("/audit");
    expect(response?.status()).toBe(403);
  });
});
