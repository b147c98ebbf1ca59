import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from "vitest";
import { launchBrowser, newPage, screenshotOnFailure, signIn } from "./browser";

let browser: Browser;
let acmeAdmin: Page;
let lee: Page;
let globexAdmin: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  const signedIn = async (email: string) => {
    const { page } = await newPage(browser);
    await signIn(page, email);
    return page;
  };
  [acmeAdmin, lee, globexAdmin] = await Promise.all([signedIn("admin@acme.test"), signedIn("lee@acme.test"), signedIn("admin@globex.test")]);
});
afterAll(async () => {
  await browser?.close();
});

const missingId = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";

/** Ids of the finished runs of one agent in the signed-in person's list (the JSON API). */
async function runIds(page: Page, agent: string, count: number): Promise<string[]> {
  const response = await page.request.get(`/api/executions?agent=${agent}&status=completed&limit=${count}`);
  const body = (await response.json()) as { executions: { id: string }[] };
  expect(body.executions.length).toBe(count);
  return body.executions.map((e) => e.id);
}

describe("a run a person may not see answers exactly as a missing one", () => {
  it("answers 404 on the compare page for another workspace's runs, as for runs that do not exist", async () => {
    onTestFailed(() => screenshotOnFailure(acmeAdmin, "security-compare-404"));
    const foreign = await runIds(globexAdmin, "seo-audit", 2);
    const own = await runIds(acmeAdmin, "seo-audit", 1);
    for (const ids of [foreign, [own[0]!, foreign[0]!], [own[0]!, missingId]]) {
      const response = await acmeAdmin.goto(`/executions/compare?ids=${ids.join(",")}`);
      expect(response?.status(), ids.join(",")).toBe(404);
      await acmeAdmin.getByRole("heading", { name: "Execution not found" }).waitFor();
    }
  });

  it("answers a member asking for archived data with the same 404 as an admin asking for an id that does not exist", async () => {
    const asAdmin = await acmeAdmin.request.get(`/api/archived/${missingId}`);
    const asMember = await lee.request.get(`/api/archived/${missingId}`);
    expect(asAdmin.status()).toBe(404);
    expect(asMember.status()).toBe(404);
    expect(await asMember.json()).toEqual(await asAdmin.json());
  });
});

describe("sign-in's way back and actions from other sites", () => {
  it.each(["%2F%5Cevil.example", "%2F%09%2Fevil.example", "%2F%5C%2Fevil.example", "%2F%2Fevil.example", "https%3A%2F%2Fevil.example"])(
    "keeps a signed-in person on Runlog when the sign-in link's callbackUrl is %s",
    async (callbackUrl) => {
      const response = await acmeAdmin.request.get(`/sign-in?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
      expect(response.status()).toBe(307);
      const location = response.headers()["location"]!;
      expect(location).toBe("/executions");
    },
  );

  it("signs a person in from a crafted link and lands them on Runlog, not on the other site", async () => {
    const { context, page } = await newPage(browser);
    try {
      await page.goto("/sign-in?callbackUrl=%2F%5Cevil.example");
      await page.getByLabel("Email").fill("maya@acme.test");
      await page.getByLabel("Password").fill("runlog-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      expect(new URL(page.url()).origin).toBe(new URL(acmeAdmin.url()).origin);
      expect(new URL(page.url()).pathname).toBe("/executions");
    } finally {
      await context.close();
    }
  });

  it("keeps a password typed before the sign-in page's script ran out of every address: the form posts, and asks to sign in again", async () => {
    // No script at all: what a slow phone does with a submit in the moment before the page's script has run.
    const context = await browser.newContext({ baseURL: inject("baseURL"), javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      const requests: { method: string; url: string }[] = [];
      page.on("request", (request) => requests.push({ method: request.method(), url: request.url() }));
      await page.goto("/sign-in?callbackUrl=%2Fcredits");
      await page.getByLabel("Email").fill("maya@acme.test");
      await page.getByLabel("Password").fill("early-Secret-123");
      await page.getByLabel("Password").press("Enter");
      await page.getByRole("status").filter({ hasText: "The page had not finished loading" }).waitFor();
      expect(requests.filter((request) => request.url.includes("early-Secret-123"))).toEqual([]);
      expect(requests.find((request) => new URL(request.url).searchParams.get("early") === "1")).toMatchObject({ method: "POST" });
      expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe("/credits");
      expect((await context.cookies()).some((cookie) => cookie.name.includes("session-token"))).toBe(false);
    } finally {
      await context.close();
    }
  });

  it("refuses a server action posted from another site with 403 and a sentence, not 500", async () => {
    const response = await acmeAdmin.request.post("/executions", {
      headers: { "Next-Action": "0".repeat(42), Origin: "https://evil.example", "Content-Type": "text/plain;charset=UTF-8" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toBe("Runlog accepts forms and actions only from its own pages; open Runlog and try again there.");
  });

  it("refuses a change through the API that rides on the session from another site, and takes it from Runlog's own pages or with an API token", async () => {
    const own = new URL(acmeAdmin.url()).origin;
    const [runId] = await runIds(acmeAdmin, "seo-audit", 1);
    const decide = (headers: Record<string, string>) => acmeAdmin.request.post(`/api/executions/${runId}/recommendations/decide`, { headers: { "Content-Type": "text/plain", ...headers }, data: JSON.stringify({ ids: [missingId], decision: "approved" }) });
    const fromElsewhere = await decide({ Origin: "https://evil.example" });
    expect(fromElsewhere.status()).toBe(403);
    expect(await fromElsewhere.json()).toEqual({ error: { code: "forbidden", message: "Runlog's API takes changes made with a signed-in session only from Runlog's own pages; from another site, send an API token (Authorization: Bearer …)." } });
    // From Runlog itself the same request reaches the route (which finds nothing to decide).
    expect((await decide({ Origin: own })).status()).not.toBe(403);
    // A token is no ambient credential: the route judges it (here, a token that does not exist).
    expect((await decide({ Origin: "https://evil.example", Authorization: "Bearer rl_nope" })).status()).toBe(401);
  });

  it("answers a forged call of 'Open in Runlog' whose token is no link's (NUL, 300,000 characters, no string) without a 500 or a giant header", async () => {
    const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName: string }> };
    const actionId = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === "openInRunlogAction")![0];
    for (const token of ["\u0000", "x".repeat(300_000), { toString: 1 }]) {
      const response = await acmeAdmin.request.post(`/s/${"x".repeat(43)}`, {
        headers: { "Next-Action": actionId, Origin: new URL(acmeAdmin.url()).origin, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: JSON.stringify([token]),
        maxRedirects: 0,
      });
      expect(response.status()).toBeLessThan(500);
      expect(response.headers()["x-action-redirect"]).toMatch(/^\/executions/);
    }
  });

  it("answers a form or action over 1 MB with 413 and a sentence, not 500", async () => {
    const response = await acmeAdmin.request.post("/executions", {
      headers: { "Next-Action": "0".repeat(42), Origin: new URL(acmeAdmin.url()).origin, "Content-Type": "text/plain;charset=UTF-8" },
      data: JSON.stringify(["x".repeat(1_200_000)]),
      maxRedirects: 0,
    });
    expect(response.status()).toBe(413);
    // Exactly text/plain, the one type Next.js hands to the page that called the action as its sentence.
    expect(response.headers()["content-type"]).toBe("text/plain");
    expect(await response.text()).toBe("That form sent more than 1 MB, more than any of Runlog's forms takes; shorten what you entered and try again.");
  });

  it("answers an address with a broken %-escape with 400 and a sentence, on pages, routes and links, not 500", async () => {
    const sentence = "This address has a broken %-escape (a % must be followed by two hexadecimal digits that spell UTF-8 text); check the link and try again.";
    for (const path of ["/api/executions/a%E0%A4%A/recommendations", "/api/report-files/%FF", "/api/store/product/%E0%A4%A"]) {
      const response = await acmeAdmin.request.get(path);
      expect(response.status(), path).toBe(400);
      expect(await response.json(), path).toEqual({ error: { code: "invalid_input", message: sentence } });
    }
    for (const path of ["/executions/a%E0%A4%A", "/s/%C3%28/download/csv"]) {
      const response = await acmeAdmin.goto(path);
      expect(response!.status(), path).toBe(400);
      await expect.poll(() => acmeAdmin.getByRole("heading", { name: "Not a valid address" }).isVisible()).toBe(true);
      expect(await acmeAdmin.getByText(sentence).isVisible()).toBe(true);
    }
  });
});

/** A link to one of the admin's finished runs, made in the share dialog as a person would. */
async function newShareLink(): Promise<string> {
  const [runId] = await runIds(acmeAdmin, "seo-audit", 1);
  await acmeAdmin.goto(`/executions/${runId}`);
  await acmeAdmin.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = acmeAdmin.getByRole("dialog", { name: /^Share / });
  await dialog.getByRole("tab", { name: "Link" }).click();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = await dialog.getByLabel("New link").inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  return new URL(link).pathname;
}

function policyOf(headers: Record<string, string>): Map<string, string> {
  return new Map((headers["content-security-policy"] ?? "").split(";").map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(" ")]));
}

describe("security headers", () => {
  let sharePath: string;
  beforeAll(async () => {
    sharePath = await newShareLink();
  });

  it("gives every page, route and download a nonce-based policy, no framing, nosniff and a referrer policy", async () => {
    const [runId] = await runIds(acmeAdmin, "seo-audit", 1);
    const answers = {
      "/sign-in": await acmeAdmin.request.get("/sign-in?callbackUrl=%2Fhelp", { maxRedirects: 0 }),
      "/executions": await acmeAdmin.request.get("/executions"),
      "/api/executions": await acmeAdmin.request.get("/api/executions?limit=1"),
      "/api/executions/export": await acmeAdmin.request.get("/api/executions/export?agent=seo-audit"),
      [`/api/executions/${runId}/export/pdf`]: await acmeAdmin.request.get(`/api/executions/${runId}/export/pdf`),
      "/api/health": await acmeAdmin.request.get("/api/health"),
      [sharePath]: await acmeAdmin.request.get(sharePath),
      "/no-such-page": await acmeAdmin.request.get("/no-such-page"),
    };
    const nonces = new Set<string>();
    for (const [path, response] of Object.entries(answers)) {
      const headers = response.headers();
      const policy = policyOf(headers);
      const scripts = policy.get("script-src") ?? "";
      expect(scripts, path).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{16,}'$/);
      expect(scripts, path).not.toContain("unsafe-inline");
      nonces.add(scripts);
      expect(policy.get("frame-ancestors"), path).toBe("'none'");
      expect(policy.get("object-src"), path).toBe("'none'");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe(path.startsWith("/s/") ? "same-origin" : "strict-origin-when-cross-origin");
      expect(headers["strict-transport-security"], path).toBeUndefined();
      if (path.startsWith("/api/") || path.startsWith("/s/")) expect(headers["cache-control"], path).toMatch(/^private, no-store/);
    }
    // A fresh nonce for each answer.
    expect(nonces.size).toBe(Object.keys(answers).length);
  });

  it("puts the page's nonce on its scripts, which run: no policy violation while a person signs in and opens pages", async () => {
    const { context, page } = await newPage(browser);
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    // Also what the console does not show: a refused `new Function` a library catches itself.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    try {
      const response = await page.goto("/sign-in");
      const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"]!)![1];
      const scripts = await page.locator("script").evaluateAll((elements) => elements.map((e) => (e as HTMLScriptElement).nonce));
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.every((value) => value === nonce)).toBe(true);
      await signIn(page, "maya@acme.test");
      await page.goto("/executions");
      await page.getByTestId("execution-row").first().waitFor();
      // Filtering validates on the page (zod), then a run's page with its forms.
      await page.getByRole("checkbox", { name: "Failed" }).check();
      await page.waitForURL(/status=failed/);
      await page.getByTestId("execution-link").first().click();
      await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.goto(sharePath);
      await page.getByRole("heading", { level: 1 }).waitFor();
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("serves the not-found page of an unknown address with the request's nonce, signed in and out: no policy violation", async () => {
    const signedOut = await newPage(browser);
    const signedInPage = await newPage(browser);
    try {
      await signIn(signedInPage.page, "lee@acme.test");
      for (const [who, page] of [["signed out", signedOut.page], ["signed in", signedInPage.page]] as const) {
        const violations: string[] = [];
        page.on("console", (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
        await page.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
        });
        const response = await page.goto(`/no-such-page-${who.replace(" ", "-")}`);
        expect(response?.status(), who).toBe(404);
        await page.getByRole("heading", { name: "Page not found" }).waitFor();
        const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"]!)![1];
        const scripts = await page.locator("script").evaluateAll((elements) => elements.map((e) => (e as HTMLScriptElement).nonce));
        expect(scripts.length, who).toBeGreaterThan(0);
        expect(scripts.every((value) => value === nonce), who).toBe(true);
        // The page's scripts ran (React took over the page): its link is a client-side navigation.
        await page.waitForFunction(() => Object.keys(document.querySelector("main") ?? {}).some((key) => key.startsWith("__react")));
        expect(violations, who).toEqual([]);
        await page.getByRole("link", { name: "Go to past executions" }).click();
        await page.waitForURL((url) => url.pathname === "/executions" || url.pathname === "/sign-in");
      }
    } finally {
      await signedOut.context.close();
      await signedInPage.context.close();
    }
  });

  it("sends HSTS when the request came over https", async () => {
    const response = await acmeAdmin.request.get("/api/health", { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
  });

  it("keeps a page of another origin from framing a share link", async () => {
    const target = new URL(sharePath, inject("baseURL")).href;
    // Served from another port: another origin, as another site would be.
    const framer = http.createServer((_, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Other site</title><iframe id="runlog" src="${target}" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
    const { context, page } = await newPage(browser);
    try {
      const loaded = page.waitForEvent("framenavigated", { predicate: (frame) => frame !== page.mainFrame(), timeout: 15_000 }).catch(() => null);
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`);
      await loaded;
      await page.waitForTimeout(1000);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const framedTitle = frame ? await frame.title().catch(() => "") : "";
      const framedText = frame ? await frame.locator("body").innerText({ timeout: 2000 }).catch(() => "") : "";
      expect(framedTitle).not.toMatch(/Shared execution/);
      expect(framedText).not.toMatch(/SEO audit/);
      // The same link opened directly shows the run.
      const direct = await page.goto(target);
      expect(direct?.status()).toBe(200);
      expect(await page.title()).toMatch(/Shared execution/);
    } finally {
      await context.close();
      await new Promise((resolve) => framer.close(resolve));
    }
  });
});

describe("sessions", () => {
  it("ends a session everywhere on sign-out: a copied session cookie no longer works", async () => {
    const { context, page } = await newPage(browser);
    const copy = await browser.newContext({ baseURL: inject("baseURL") });
    try {
      await signIn(page, "sam@acme.test");
      await copy.addCookies(await context.cookies());
      expect((await copy.request.get("/api/executions?limit=1")).status()).toBe(200);

      // What the Sign out button does.
      const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      await page.request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/sign-in", json: "true" } });

      const stolen = await copy.request.get("/api/executions?limit=1");
      expect(stolen.status()).toBe(401);
      const copyPage = await copy.newPage();
      await copyPage.goto("/executions");
      expect(new URL(copyPage.url()).pathname).toBe("/sign-in");
      // Signing in again works.
      await signIn(page, "sam@acme.test");
      expect((await page.request.get("/api/executions?limit=1")).status()).toBe(200);
    } finally {
      await copy.close();
      await context.close();
    }
  });

  it("leaves a signed, HttpOnly device cookie naming the account after a sign-in", async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, "lee@acme.test");
      const device = (await context.cookies()).find((cookie) => cookie.name === "runlog_device");
      expect(device?.httpOnly).toBe(true);
      expect(Buffer.from(device!.value.split(".")[0]!, "base64url").toString()).toBe("lee@acme.test");
      expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 3600_000);
    } finally {
      await context.close();
    }
  });

  it("changes a password under Settings → Account: the other browser is signed out, this one stays, the new password works and the old does not", async () => {
    const changer = await newPage(browser);
    const other = await newPage(browser);
    const fresh = await newPage(browser);
    const changeTo = async (page: Page, current: string, next: string) => {
      await page.goto("/settings/account");
      await page.getByLabel("Current password").fill(current);
      await page.getByLabel("New password", { exact: true }).fill(next);
      await page.getByLabel("Confirm new password").fill(next);
      await page.getByRole("button", { name: "Change password" }).click();
    };
    try {
      onTestFailed(() => screenshotOnFailure(changer.page, "security-password-change"));
      await Promise.all([signIn(changer.page, "gina@globex.test"), signIn(other.page, "gina@globex.test")]);

      await changeTo(changer.page, "not-the-password", "a-brand-new-password");
      await changer.page.getByRole("alert").filter({ hasText: "That is not your current password; nothing was changed." }).waitFor();
      await changeTo(changer.page, "runlog-demo", "a-brand-new-password");
      await changer.page.getByRole("status").filter({ hasText: "Your password was changed." }).waitFor();

      // This browser goes on; the other one is signed out at its next request.
      await changer.page.goto("/executions");
      expect(new URL(changer.page.url()).pathname).toBe("/executions");
      expect((await other.page.request.get("/api/executions?limit=1")).status()).toBe(401);
      await other.page.goto("/executions");
      expect(new URL(other.page.url()).pathname).toBe("/sign-in");

      // The old password no longer signs in; the new one does.
      await fresh.page.goto("/sign-in");
      await fresh.page.getByLabel("Email").fill("gina@globex.test");
      await fresh.page.getByLabel("Password").fill("runlog-demo");
      await fresh.page.getByRole("button", { name: "Sign in" }).click();
      await fresh.page.getByText("Wrong email or password.").waitFor();
      await signIn(fresh.page, "gina@globex.test", "a-brand-new-password");
      expect(new URL(fresh.page.url()).pathname).not.toBe("/sign-in");

      // Back to the demo password, for the other tests that sign in as Gina.
      await changeTo(fresh.page, "a-brand-new-password", "runlog-demo");
      await fresh.page.getByRole("status").filter({ hasText: "Your password was changed." }).waitFor();
    } finally {
      await Promise.all([changer.context.close(), other.context.close(), fresh.context.close()]);
    }
  });
});

describe("throttles that rotating headers cannot get around", () => {
  it("closes a password link to a guesser after 5 wrong tries, however they vary X-Forwarded-For", async () => {
    const [runId] = await runIds(acmeAdmin, "seo-audit", 2).then((ids) => ids.slice(1));
    await acmeAdmin.goto(`/executions/${runId}`);
    await acmeAdmin.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = acmeAdmin.getByRole("dialog", { name: /^Share / });
    await dialog.getByRole("tab", { name: "Link" }).click();
    await dialog.getByLabel("Link password").fill("a-password-nobody-guesses");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = new URL(await dialog.getByLabel("New link").inputValue()).pathname;

    const { context, page } = await newPage(browser);
    try {
      let message = "";
      for (let attempt = 1; attempt <= 6; attempt++) {
        await page.setExtraHTTPHeaders({ "X-Forwarded-For": `198.51.100.${attempt}`, "X-Real-IP": `198.51.100.${attempt}` });
        await page.goto(link);
        await page.getByLabel("Password").fill(`guess-${attempt}`);
        await page.getByRole("button", { name: "Open" }).click();
        message = (await page.getByRole("alert").filter({ hasText: /password|Too many/ }).first().textContent()) ?? "";
      }
      expect(message).toMatch(/^Too many wrong passwords for this link from your address/);
    } finally {
      await context.close();
    }
  });
});
