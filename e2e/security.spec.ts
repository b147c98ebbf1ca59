import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
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

  it("refuses a server action posted from another site with 403 and a sentence, not 500", async () => {
    const response = await acmeAdmin.request.post("/executions", {
      headers: { "Next-Action": "0".repeat(42), Origin: "https://evil.example", "Content-Type": "text/plain;charset=UTF-8" },
      data: "[]",
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toBe("Runlog accepts forms and actions only from its own pages; open Runlog and try again there.");
  });
});
