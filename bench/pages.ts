/**
 * `npm run measure:pages`: what each main page weighs and how it behaves, in real Chromium
 * against the production build on a fresh demo database (`MEASURE_DATABASE_URL` for
 * PostgreSQL, else embedded PGlite): the page's height at 1440 × 900, whether it scrolls
 * sideways at 1440 and at 390 px wide, the serious and critical axe-core violations, and the
 * HTML's size. Signed in as an admin and as a member, and through a share link. Prints a
 * table and writes every figure to e2e/artifacts/pages.json; `MEASURE_SCREENSHOTS=1` also keeps
 * a picture of each page at both widths in e2e/artifacts/pages/.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { startAppServer } from "../e2e/app-server";
import { seriousViolations, type AxeViolation } from "../e2e/axe";
import { launchBrowser, signIn } from "../e2e/chromium";
import { adminWalk, createShareLink, findDemoRuns, linkWalk, memberLargestRun, memberWalk, type WalkedPage } from "../e2e/page-walk";

type Measured = WalkedPage & { status: number; htmlKB: number; heightPx: number; scrollWidth1440: number; scrollWidth390: number; violations: AxeViolation[] };

const artifacts = path.join(process.cwd(), "e2e", "artifacts");

async function measure(page: Page, walked: WalkedPage): Promise<Measured> {
  await page.setViewportSize({ width: 1440, height: 900 });
  const response = await page.goto(walked.path, { waitUntil: "load" });
  await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
  const html = response ? await response.body() : Buffer.alloc(0);
  const [heightPx, scrollWidth1440] = await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]);
  const violations = await seriousViolations(page);
  const picture = (width: number) => path.join(artifacts, "pages", `${walked.who}-${walked.name.replace(/[^a-z0-9]+/gi, "-")}-${width}.png`);
  if (process.env.MEASURE_SCREENSHOTS) await page.screenshot({ path: picture(1440), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const scrollWidth390 = await page.evaluate(() => document.documentElement.scrollWidth);
  if (process.env.MEASURE_SCREENSHOTS) await page.screenshot({ path: picture(390), fullPage: true });
  return { ...walked, status: response?.status() ?? 0, htmlKB: Math.round(html.length / 102.4) / 10, heightPx, scrollWidth1440, scrollWidth390, violations };
}

async function signedIn(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, timezoneId: "Europe/Berlin", locale: "en-GB" });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function main() {
  const server = await startAppServer({ databaseUrl: process.env.MEASURE_DATABASE_URL, logFile: path.join(artifacts, "measure-server.log") });
  const browser = await launchBrowser();
  const results: Measured[] = [];
  try {
    const admin = await signedIn(browser, server.baseURL, "admin@acme.test");
    const runs = await findDemoRuns(admin.request);
    for (const walked of adminWalk(runs)) results.push(await measure(admin, walked));
    const link = await createShareLink(admin, runs.largest.id);

    const member = await signedIn(browser, server.baseURL, "maya@acme.test");
    for (const walked of memberWalk(await memberLargestRun(member.request))) results.push(await measure(member, walked));

    const visitor = await (await browser.newContext({ baseURL: server.baseURL, timezoneId: "Europe/Berlin", locale: "en-GB" })).newPage();
    for (const walked of linkWalk(link)) results.push(await measure(visitor, { ...walked, name: walked.name.replace("Share link", `Share link of the largest run (${runs.largest.agentId})`) }));
  } finally {
    await browser.close();
    await server.stop();
  }

  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, "pages.json"), JSON.stringify(results, null, 2));
  console.log("| Who | Page | HTTP | HTML KB | Height at 1440×900 | scrollWidth 1440 / 390 | axe serious+critical (rules / elements) |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const elements = r.violations.reduce((n, v) => n + v.nodes, 0);
    console.log(`| ${r.who} | ${r.name} | ${r.status} | ${r.htmlKB} | ${r.heightPx} | ${r.scrollWidth1440} / ${r.scrollWidth390} | ${r.violations.length} / ${elements}${r.violations.length ? ` (${r.violations.map((v) => v.id).join(", ")})` : ""} |`);
  }
  const total = results.reduce((n, r) => n + r.violations.length, 0);
  console.log(`\n${results.length} pages; ${total} serious or critical axe rule violations in all; details in e2e/artifacts/pages.json`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
