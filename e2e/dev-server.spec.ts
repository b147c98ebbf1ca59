/**
 * `npm run dev` as a new developer runs it after `npm install`: on a folder with no database yet,
 * it creates the embedded one, migrates and seeds it, compiles without errors, signs a person in
 * and runs an agent in its own process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { freePort, stop } from "./app-server";
import { launchBrowser, screenshotOnFailure, signIn } from "./browser";

let server: ChildProcess;
let browser: Browser;
let page: Page;
let baseURL: string;
const output: string[] = [];
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-dev-"));

beforeAll(async () => {
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: path.join(dataRoot, "pglite"), NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of ["DATABASE_URL", "NEXTAUTH_URL", "NODE_ENV", "RUNLOG_ROLE", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"]) delete env[name];
  server = spawn("npm", ["run", "dev", "--", "-p", String(port), "-H", "127.0.0.1"], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [server.stdout!, server.stderr!]) stream.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm run dev exited with code ${server.exitCode}:\n${output.join("")}`);
    const status = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(60_000) }).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`npm run dev was not ready within 240 s:\n${output.join("").slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  browser = await launchBrowser();
  page = await (await browser.newContext({ baseURL, timezoneId: "Europe/Berlin", locale: "en-GB" })).newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stop(server);
  fs.rmSync(dataRoot, { recursive: true, force: true });
});

describe("npm run dev on a machine with no database yet", () => {
  it("seeds the demo workspace, signs in, and runs an agent to completion in its own process", async () => {
    onTestFailed(() => screenshotOnFailure(page, "dev-server"));
    await signIn(page, "admin@acme.test");
    await page.goto("/executions");
    expect(await page.locator('[data-testid="execution-row"]').count()).toBeGreaterThan(0);

    await page.goto("/agents/seo-audit");
    await page.getByLabel("Include products").uncheck();
    await page.getByLabel("At most").fill("5");
    await page.getByRole("button", { name: "Check cost" }).click();
    await page.getByTestId("estimate").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Run agent" }).click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await page.getByRole("heading", { level: 1 }).locator("..").getByText("Completed", { exact: true }).waitFor({ timeout: 120_000 });

    // What a developer reads in their terminal: the sign-in hint, and no compile error.
    const printed = output.join("");
    expect(printed).toContain("admin@acme.test");
    expect(printed).not.toMatch(/had an error|Module not found|Failed to compile/);
  }, 360_000);
});
