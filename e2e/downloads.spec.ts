import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it, onTestFailed } from "vitest";
import { readPdf } from "@/lib/exports/testing/read-pdf";
import { screenshotOnFailure, signedInPageForFile } from "./browser";

let page: Page;
const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-e2e-downloads-"));
signedInPageForFile("admin@acme.test", (opened) => (page = opened));
afterAll(async () => {
  fs.rmSync(downloadDir, { recursive: true, force: true });
});

/** Picks an entry of the detail page's Download menu and saves what the browser downloads. */
async function downloadFromMenu(entry: string): Promise<{ file: string; name: string }> {
  await page.getByRole("button", { name: "Download", exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menu", { name: "Download" }).getByRole("menuitem", { name: entry }).click()]);
  const name = download.suggestedFilename();
  const file = path.join(downloadDir, name);
  await download.saveAs(file);
  return { file, name };
}

describe("downloads in the browser", () => {
  it("downloads CSV, JSON and PDF from a detail page, and lists them under Downloads with their expiry", async () => {
    onTestFailed(() => screenshotOnFailure(page, "downloads"));
    await page.goto("/executions?agent=seo-audit&status=completed");
    await page.getByTestId("execution-row").first().locator("a").first().click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);
    const executionId = /\/executions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const shortId = executionId.replace(/-/g, "").slice(0, 8);

    const csv = await downloadFromMenu("CSV: Recommendations");
    expect(csv.name).toMatch(new RegExp(`^runlog-seo-audit-\\d{4}-\\d{2}-\\d{2}-${shortId}\\.csv$`));
    const script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n    print(json.dumps(list(csv.reader(f, strict=True))))";
    const rows = JSON.parse(execFileSync("python3", ["-c", script, csv.file], { encoding: "utf8" })) as string[][];
    expect(rows[0]!.slice(0, 3)).toEqual(["id", "priority", "status"]);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((row) => row.length === rows[0]!.length)).toBe(true);

    const json = await downloadFromMenu("JSON (everything)");
    expect(json.name).toMatch(new RegExp(`^runlog-seo-audit-\\d{4}-\\d{2}-\\d{2}-${shortId}\\.json$`));
    const schemaResponse = await page.request.get("/api/schema/execution.json");
    expect(schemaResponse.status()).toBe(200);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile((await schemaResponse.json()) as object);
    const exported = JSON.parse(fs.readFileSync(json.file, "utf8")) as { execution: { id: string }; recommendations: unknown[] };
    expect(validate(exported), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(exported.execution.id).toBe(executionId);
    expect(exported.recommendations.length).toBe(rows.length - 1);

    const pdf = await downloadFromMenu("PDF report");
    expect(pdf.name).toMatch(new RegExp(`^runlog-seo-audit-\\d{4}-\\d{2}-\\d{2}-${shortId}\\.pdf$`));
    const [firstPage] = (await readPdf(fs.readFileSync(pdf.file))).pages;
    expect(firstPage).toContain("SEO audit");
    expect(firstPage).toContain("Acme Outfitters");

    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Downloads" }).click();
    await page.waitForURL(/tab=downloads/);
    const files = page.getByTestId("report-file");
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="report-file"]').length >= 3);
    const names = await files.locator("a").allTextContents();
    expect(names).toEqual(expect.arrayContaining([csv.name, json.name, pdf.name]));
    const expiry = (await files.first().getByTestId("report-file-expiry").textContent()) ?? "";
    expect(expiry).toMatch(/^Expires .*\d{4}/);
    const expiresAt = new Date((await files.first().getByTestId("report-file-expiry").locator("time").getAttribute("datetime"))!);
    const days = (expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);

    // Downloadable again, byte for byte.
    const [again] = await Promise.all([page.waitForEvent("download"), files.locator("a", { hasText: csv.name }).click()]);
    const againFile = path.join(downloadDir, `again-${csv.name}`);
    await again.saveAs(againFile);
    expect(fs.readFileSync(againFile).equals(fs.readFileSync(csv.file))).toBe(true);
  });

  it("offers a failed run only the files it has, and lists a file downloaded twice once", async () => {
    onTestFailed(() => screenshotOnFailure(page, "downloads-failed"));
    // A failed SEO audit that got through some items: it has items and a log, but never computed scores or a report.
    await page.goto("/executions?agent=seo-audit&status=failed");
    const rows = page.getByTestId("execution-row");
    await rows.first().waitFor();
    const scopes = await rows.locator('td[data-label="Scope"]').allTextContents();
    const at = scopes.findIndex((text) => !text.trim().startsWith("0 "));
    expect(at).toBeGreaterThanOrEqual(0);
    await rows.nth(at).getByTestId("execution-link").click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/);

    await page.getByRole("button", { name: "Download", exact: true }).click();
    const offered = await page.getByRole("menu", { name: "Download" }).getByRole("menuitem").allTextContents();
    expect(offered).toEqual(["JSON (everything)", "CSV: Items", "CSV: Processing log", "CSV: Overview"]);
    await page.keyboard.press("Escape");

    const first = await downloadFromMenu("CSV: Processing log");
    const second = await downloadFromMenu("CSV: Processing log");
    expect(second.name).toBe(first.name);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Downloads" }).click();
    await page.waitForURL(/tab=downloads/);
    await page.getByTestId("report-file").first().waitFor();
    expect(await page.getByTestId("report-file").locator("a").allTextContents()).toEqual([first.name]);
  });

  it("answers bad download requests with a clear 4xx", async () => {
    const unknown = await page.request.get("/api/executions/00000000-0000-4000-8000-000000000000/export/csv");
    expect(unknown.status()).toBe(404);
    await page.goto("/executions?agent=seo-audit&status=completed");
    const href = (await page.getByTestId("execution-row").first().locator("a").first().getAttribute("href"))!;
    const format = await page.request.get(`/api${href}/export/xls`);
    expect(format.status()).toBe(400);
    expect(((await format.json()) as { error: { message: string } }).error.message).toContain("Unknown format “xls”");
    const list = await page.request.get("/api/executions/export?agent=seo-audit");
    expect(list.status()).toBe(200);
    expect(list.headers()["content-disposition"]).toMatch(/attachment; filename="runlog-executions-\d{4}-\d{2}-\d{2}\.csv"/);
  });
});
