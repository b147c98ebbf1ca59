/**
 * A production server of its own on PostgreSQL, reached through a link the test can cut
 * (db/testing/cuttable-link.ts): what people get when the database connection drops, when the
 * database is down for a while, when it comes back, and when the server starts while it is down.
 * The server is never touched.
 */
import path from "node:path";
import postgres from "postgres";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { openCuttableLink, type CuttableLink } from "@/db/testing/cuttable-link";
import { unansweredForm } from "@/lib/http/reachable-action";
import { settingUpMessage } from "@/lib/unexpected-failure";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, screenshotOnFailure, signIn } from "./browser";

const serverUrl = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseName = `runlog_e2e_${process.pid}_outage`;
const sentence = "The database is unreachable; try again in a moment.";

let admin: postgres.Sql;
let link: CuttableLink;
let app: AppServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin.unsafe(`create database "${databaseName}"`);
  const target = new URL(serverUrl);
  link = await openCuttableLink({ host: target.hostname, port: Number(target.port || 5432) });
  app = await startAppServer({ databaseUrl: link.urlThrough(databaseUrlOf()), logFile: path.join(process.cwd(), "e2e", "artifacts", "outage-server.log") });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: app.baseURL });
  page = await context.newPage();
  await signIn(page, "admin@acme.test");
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await link?.close();
  await admin?.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin?.end();
});

async function statusOf(pathname: string): Promise<number> {
  return (await page.goto(pathname))!.status();
}

/** Polls until `check` holds: a person would just reload. */
async function eventually(check: () => Promise<boolean>, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("when the database connection drops or the database goes away", () => {
  it("serves the first page after every connection was cut as if nothing happened", async () => {
    onTestFailed(() => screenshotOnFailure(page, "outage-cut"));
    expect(await statusOf("/executions")).toBe(200);
    link.dropConnections();
    expect(await statusOf("/executions")).toBe(200);
    await page.getByRole("heading", { name: "Past executions" }).waitFor();
    link.dropConnections();
    expect((await page.request.get("/api/executions?limit=1")).status()).toBe(200);
  });

  it("answers pages and the API with 503 and one sentence during an outage, health says the database is down, and all is back once it returns", async () => {
    onTestFailed(() => screenshotOnFailure(page, "outage-down"));
    link.goDown();
    try {
      await eventually(async () => (await statusOf("/executions")) === 503);
      expect(await page.getByText(sentence).isVisible()).toBe(true);
      const api = await page.request.get("/api/executions");
      expect(api.status()).toBe(503);
      expect(await api.json()).toEqual({ error: { code: "unavailable", message: sentence } });
      const health = await page.request.get("/api/health");
      expect(health.status()).toBe(503);
      expect(await health.json()).toMatchObject({ database: "down" });
    } finally {
      link.comeBack();
    }
    await eventually(async () => (await statusOf("/executions")) === 200);
    await page.getByRole("heading", { name: "Past executions" }).waitFor();
    expect(await (await page.request.get("/api/health")).json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("keeps what a person typed into a form saved during an outage, says it was not saved, and saves it once the database is back", async () => {
    onTestFailed(() => screenshotOnFailure(page, "outage-form"));
    await page.goto("/settings/retention");
    const days = page.getByLabel("Completed and partial runs, days");
    const typed = String(Number(await days.inputValue()) + 11);
    await days.fill(typed);
    link.goDown();
    try {
      await eventually(async () => (await page.request.get("/api/executions?limit=1")).status() === 503);
      // A server action gets the sentence as text/plain, which Next.js hands to the page as it is.
      const call = await page.request.post("/settings/retention", { headers: { "Next-Action": "0".repeat(42), "Content-Type": "text/plain;charset=UTF-8" }, data: "[]" });
      expect([call.status(), call.headers()["content-type"], await call.text()]).toEqual([503, "text/plain", sentence]);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("alert").filter({ hasText: unansweredForm.refused }).waitFor();
      expect(await days.inputValue()).toBe(typed);
    } finally {
      link.comeBack();
    }
    await eventually(async () => (await page.request.get("/api/executions?limit=1")).status() === 200);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.reload();
    expect(await days.inputValue()).toBe(typed);
  });

  it("starts while the database is unreachable: answers 503 with the sentence, never 500, and serves once it can reach it, without a restart", { timeout: 120_000 }, async () => {
    onTestFailed(() => screenshotOnFailure(page, "outage-start"));
    link.goDown();
    let late: AppServer | undefined;
    try {
      late = await startAppServer({ databaseUrl: link.urlThrough(databaseUrlOf()), logFile: path.join(process.cwd(), "e2e", "artifacts", "outage-late-server.log"), waitsUntilReady: false });
      const health = await fetch(`${late.baseURL}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "starting" });
      // A while later it still answers, and still with the sentence (it used to answer 500 to everything until restarted).
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const signInPage = await fetch(`${late.baseURL}/sign-in`);
      expect(signInPage.status).toBe(503);
      expect(await signInPage.text()).toContain(sentence);
      const api = await fetch(`${late.baseURL}/api/executions`);
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({ error: { code: "unavailable", message: sentence } });
      link.comeBack();
      const server = late;
      await eventually(async () => (await fetch(`${server.baseURL}/api/health`)).status === 200, 60_000);
      // The session cookie is the same on both servers (one auth secret in .data/).
      expect(await statusOf(`${late.baseURL}/executions`)).toBe(200);
      await page.getByRole("heading", { name: "Past executions" }).waitFor();
    } finally {
      link.comeBack();
      await late?.stop();
    }
  });

  it("starts before its database role exists: answers 503 with the sentence, and serves once the role is created, without a restart", { timeout: 120_000 }, async () => {
    onTestFailed(() => screenshotOnFailure(page, "outage-role"));
    const role = `runlog_e2e_${process.pid}_late_role`;
    const url = new URL(databaseUrlOf());
    url.username = role;
    let late: AppServer | undefined;
    try {
      late = await startAppServer({ databaseUrl: url.toString(), logFile: path.join(process.cwd(), "e2e", "artifacts", "outage-role-server.log"), waitsUntilReady: false });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const health = await fetch(`${late.baseURL}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "starting" });
      const signInPage = await fetch(`${late.baseURL}/sign-in`);
      expect(signInPage.status).toBe(503);
      expect(await signInPage.text()).toContain(sentence);
      // As a container's first start creates the role after the app came up.
      await admin.unsafe(`create role "${role}" login superuser`);
      const server = late;
      await eventually(async () => (await fetch(`${server.baseURL}/api/health`)).status === 200, 60_000);
      expect(await statusOf(`${late.baseURL}/executions`)).toBe(200);
      await page.getByRole("heading", { name: "Past executions" }).waitFor();
    } finally {
      await late?.stop();
      await admin.unsafe(`drop role if exists "${role}"`);
    }
  });
});

describe("a first start on an empty database", () => {
  it("answers at once while it loads the demo workspace: 503 saying it is setting up, then the app", { timeout: 180_000 }, async () => {
    const emptyName = `${databaseName}_empty`;
    await admin.unsafe(`drop database if exists "${emptyName}" with (force)`);
    await admin.unsafe(`create database "${emptyName}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${emptyName}`;
    let fresh: AppServer | undefined;
    try {
      fresh = await startAppServer({ databaseUrl: url.toString(), logFile: path.join(process.cwd(), "e2e", "artifacts", "outage-first-start-server.log"), waitsUntilReady: false });
      // Loading the demo workspace takes tens of seconds; a visitor must not be left waiting that long.
      const health = await fetch(`${fresh.baseURL}/api/health`, { signal: AbortSignal.timeout(5_000) });
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "starting" });
      const signInPage = await fetch(`${fresh.baseURL}/sign-in`, { signal: AbortSignal.timeout(5_000) });
      expect(signInPage.status).toBe(503);
      const html = await signInPage.text();
      expect(html).toContain(settingUpMessage);
      expect(html).toContain("<title>Runlog is starting</title>");
      const api = await fetch(`${fresh.baseURL}/api/executions`, { signal: AbortSignal.timeout(5_000) });
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({ error: { code: "unavailable", message: settingUpMessage } });
      const server = fresh;
      await eventually(async () => (await fetch(`${server.baseURL}/api/health`)).status === 200, 150_000);
      const ready = await fetch(`${fresh.baseURL}/sign-in`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toContain("Sign in");
    } finally {
      await fresh?.stop();
      await admin.unsafe(`drop database if exists "${emptyName}" with (force)`);
    }
  });
});

function databaseUrlOf(): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}
