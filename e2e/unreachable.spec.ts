/**
 * What a person sees when a form's save gets no answer: the connection drops on the way, or the
 * server answers 503 (as proxy.ts does while the database is unreachable). The page stays, the
 * form says so in a sentence and keeps what was typed, and saving again once Runlog answers saves it.
 */
import type { Locator, Page, Route } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { unansweredChange, unansweredForm } from "@/lib/http/reachable-action";
import { unavailableMessage } from "@/lib/unexpected-failure";
import { launchBrowser, newPage, screenshotOnFailure, signIn, signedInPageForFile } from "./browser";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

/**
 * Cuts every server action call `on` makes until the returned function is called: the
 * connection drops (`abort`), or an answer of 503 with the outage's sentence, as a plain body
 * (`503`, what a proxy in front of Runlog may send) or as Runlog's own proxy sends it to an action
 * (`503 from Runlog`, text/plain: Next.js hands that sentence to the page).
 */
async function cutActions(on: Page, how: "abort" | "503" | "503 from Runlog"): Promise<() => Promise<void>> {
  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.fallback();
    if (how === "abort") return route.abort("internetdisconnected");
    return route.fulfill({ status: 503, body: unavailableMessage, ...(how === "503 from Runlog" ? { contentType: "text/plain" } : {}) });
  };
  await on.route("**/*", handler);
  return () => on.unroute("**/*", handler);
}

/** Each cut, and which of a form's sentences (`unansweredForm`, or `unansweredChange` for a button) it answers. */
function cutsSaying(sentences: typeof unansweredForm) {
  return [
    { how: "abort", sentence: sentences.unknown },
    { how: "503", sentence: sentences.unknown },
    { how: "503 from Runlog", sentence: sentences.refused },
  ] as const;
}

/** The error page (app/error.tsx) that used to replace the whole page. */
async function expectNoErrorPage(on: Page): Promise<void> {
  expect(await on.getByRole("heading", { name: /^(Something went wrong|Runlog is unavailable)$/ }).count()).toBe(0);
}

/**
 * Sends a form once through each cut: each time the page stays, `answers` (where the form shows
 * its answers) says the cut's sentence, and `expectKept` finds what was typed still there.
 */
async function sendThroughEachCut(on: Page, send: () => Promise<void>, answers: Locator, expectKept: () => Promise<void>, sentences = unansweredForm): Promise<void> {
  for (const { how, sentence } of cutsSaying(sentences)) {
    const restore = await cutActions(on, how);
    try {
      await send();
      await answers.filter({ hasText: /\S/ }).first().waitFor({ timeout: 10_000 });
    } finally {
      await restore();
    }
    await expectNoErrorPage(on);
    expect(await answers.filter({ hasText: /\S/ }).allTextContents()).toContain(sentence);
    await expectKept();
  }
}

/** Opens the newest completed SEO audit's page and its Share dialog, on the tab named. */
async function openShareDialog(tab: "People" | "Link"): Promise<Locator> {
  await page.goto("/executions?agent=seo-audit&status=completed");
  await page.getByTestId("execution-row").first().getByTestId("execution-link").click();
  await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: /^Share / });
  if (tab === "Link") await dialog.getByRole("tab", { name: "Link" }).click();
  return dialog;
}

describe("a save that gets no answer", () => {
  it("keeps an edited generated description with a sentence, and saves it once Runlog answers", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-generated"));
    await page.goto("/executions?agent=product-description-writer&status=completed");
    await page.getByTestId("execution-row").first().getByTestId("execution-link").click();
    await page.waitForURL(/\/executions\/[0-9a-f-]{36}/);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: /^Generated texts/ }).click();
    await page.waitForURL(/tab=/);
    const edit = page.locator('[data-testid="recommendation-row"][data-status="pending"], [data-testid="recommendation-row"][data-status="approved"]')
      .getByRole("button", { name: /^Edit Description of / })
      .first();
    const label = (await edit.getAttribute("aria-label"))!.replace(/^Edit /, "");
    await edit.click();
    const text = `Rewritten offline ${Date.now()}: soft wool, sewn to last.`;
    const box = page.getByRole("textbox", { name: label });
    await box.fill(text);

    await sendThroughEachCut(page, () => page.getByRole("button", { name: "Save" }).click(), page.getByRole("alert"), async () => {
      expect(await box.inputValue()).toBe(text);
    });

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.reload();
    const search = page.getByRole("search", { name: "Filter recommendations" });
    await search.getByLabel("Item or field").fill(label.replace(/^Description of /, ""));
    await search.getByLabel("Item or field").press("Enter");
    await page.waitForURL(/rq=/);
    await page.locator(`[data-testid="recommendation-row"][data-after="${text}"]`).waitFor();
  });

  it("keeps the retention periods typed into the settings form, and saves them once Runlog answers", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-retention"));
    await page.goto("/settings/retention");
    const success = page.getByLabel("Completed and partial runs, days");
    const failure = page.getByLabel("Failed and canceled runs, days");
    const saved = { success: await success.inputValue(), failure: await failure.inputValue() };
    const typed = { success: String(Number(saved.success) + 17), failure: String(Number(saved.failure) + 3) };
    try {
      await success.fill(typed.success);
      await failure.fill(typed.failure);
      await sendThroughEachCut(page, () => page.getByRole("button", { name: "Save" }).click(), page.getByRole("alert"), async () => {
        expect([await success.inputValue(), await failure.inputValue()]).toEqual([typed.success, typed.failure]);
      });
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      await page.reload();
      expect([await success.inputValue(), await failure.inputValue()]).toEqual([typed.success, typed.failure]);
    } finally {
      // Other files' tests expect the seed's periods.
      await page.goto("/settings/retention");
      await success.fill(saved.success);
      await failure.fill(saved.failure);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    }
  });

  it("keeps the password typed into a share link's form, and opens the link once Runlog answers; without JavaScript the form still posts", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-link-admin"));
    const dialog = await openShareDialog("Link");
    await dialog.getByLabel("Link password").fill("outage-proof-8");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByLabel("New link").inputValue();

    const browser = await launchBrowser();
    try {
      const { page: visitor } = await newPage(browser);
      onTestFailed(() => screenshotOnFailure(visitor, "unreachable-link-visitor"));
      await visitor.goto(link);
      const protectedHeading = visitor.getByRole("heading", { name: "This shared execution is protected" });
      await protectedHeading.waitFor();
      await visitor.getByLabel("Password").fill("outage-proof-8");
      await sendThroughEachCut(visitor, () => visitor.getByRole("button", { name: "Open" }).click(), visitor.getByRole("alert"), async () => {
        expect(await protectedHeading.isVisible()).toBe(true);
        expect(await visitor.getByLabel("Password").inputValue()).toBe("outage-proof-8");
      });
      // The action answers with a redirect to the link, which still navigates through reachableForm().
      await visitor.getByRole("button", { name: "Open" }).click();
      await visitor.getByRole("heading", { name: "SEO audit" }).waitFor();
      await visitor.reload();
      await visitor.getByRole("heading", { name: "SEO audit" }).waitFor();

      const noScript = await browser.newContext({ javaScriptEnabled: false });
      const bare = await noScript.newPage();
      await bare.goto(link);
      await bare.getByLabel("Password").fill("not-the-password");
      await bare.getByRole("button", { name: "Open" }).click();
      await bare.getByRole("alert").filter({ hasText: "That password is not right" }).waitFor();
      await bare.getByLabel("Password").fill("outage-proof-8");
      await bare.getByRole("button", { name: "Open" }).click();
      await bare.getByRole("heading", { name: "SEO audit" }).waitFor();
    } finally {
      await browser.close();
    }
  });
});

/**
 * React resets a form after its action, and gives a select its default only when it mounts
 * (react/react#32362), so these look at every kind of field a form has, selects included.
 */
describe("a form with choices that gets no answer or a refusal", () => {
  it("keeps everything typed into a new share link, and empties only the password once the link is made", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-create-link"));
    const dialog = await openShareDialog("Link");
    const form = dialog.getByRole("form", { name: "Create a link" });
    const links = dialog.getByTestId("link-grant");
    await links.or(dialog.getByText(/can see this execution\.$/)).first().waitFor();
    const linksBefore = await links.count();
    const message = `Look at the titles first (${Date.now()}).`;
    await form.getByLabel("Permission").selectOption("apply");
    await form.getByLabel("Message").fill(message);
    await form.getByLabel("Link password").fill("kept-after-a-cut");
    await form.getByLabel("Expires after").selectOption("30d");
    await form.getByLabel("Show credits").check();
    const typed = async () => ({
      permission: await form.getByLabel("Permission").inputValue(),
      message: await form.getByLabel("Message").inputValue(),
      password: await form.getByLabel("Link password").inputValue(),
      expiresIn: await form.getByLabel("Expires after").inputValue(),
      showsCredits: await form.getByLabel("Show credits").isChecked(),
      showsNames: await form.getByLabel("Show people's names").isChecked(),
    });
    const entered = { permission: "apply", message, password: "kept-after-a-cut", expiresIn: "30d", showsCredits: true, showsNames: false };

    await sendThroughEachCut(page, () => form.getByRole("button", { name: "Create link" }).click(), dialog.getByRole("alert"), async () => {
      expect(await typed()).toEqual(entered);
    });

    // A refusal keeps it too, the short password included, so it can be lengthened.
    await form.getByLabel("Link password").fill("short");
    await form.getByRole("button", { name: "Create link" }).click();
    await dialog.getByRole("alert").filter({ hasText: "A link password needs at least 8 characters." }).waitFor();
    expect(await typed()).toEqual({ ...entered, password: "short" });

    await form.getByLabel("Link password").fill("kept-after-a-cut");
    await form.getByRole("button", { name: "Create link" }).click();
    await form.getByLabel("New link").waitFor();
    expect(await typed()).toEqual({ ...entered, password: "" });
    await expect.poll(() => links.count()).toBe(linksBefore + 1);
  });

  it("keeps the people chosen to share with, and the message, after a share that gets no answer", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-share-people"));
    const form = (await openShareDialog("People")).getByRole("form", { name: "Share with people" });
    const person = form.getByRole("list", { name: "People" }).getByRole("checkbox").first();
    await person.check();
    await form.getByLabel("Message").fill("The titles, please.");
    const restore = await cutActions(page, "abort");
    try {
      await form.getByRole("button", { name: /^Share/ }).click();
      await page.getByRole("dialog", { name: /^Share / }).getByRole("alert").filter({ hasText: unansweredForm.unknown }).waitFor({ timeout: 10_000 });
    } finally {
      await restore();
    }
    expect([await person.isChecked(), await form.getByLabel("Message").inputValue()]).toEqual([true, "The titles, please."]);
    expect(await form.getByRole("button", { name: /^Share/ }).isEnabled()).toBe(true);
  });

  it("keeps an API token's kind, name, scope and expiry after a failed create, and keeps the kind for the next token once one is made", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-api-token"));
    await page.goto("/settings/api-tokens");
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create token" }) });
    const typed = async () => ({
      name: await form.getByLabel("Name").inputValue(),
      kind: await form.getByLabel("Kind").inputValue(),
      scope: await form.getByLabel("Scope").inputValue(),
      expiresIn: await form.getByLabel("Expires").inputValue(),
    });
    const name = `Warehouse sync ${Date.now()}`;
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Kind").selectOption("workspace");
    await form.getByLabel("Scope").selectOption("admin_read");
    await form.getByLabel("Expires").selectOption("365");

    await sendThroughEachCut(page, () => form.getByRole("button", { name: "Create token" }).click(), form.getByRole("alert"), async () => {
      expect(await typed()).toEqual({ name, kind: "workspace", scope: "admin_read", expiresIn: "365" });
    });

    await form.getByRole("button", { name: "Create token" }).click();
    await form.getByTestId("new-api-token").waitFor();
    // The next token is likely of the same kind; its name and its powers are chosen afresh.
    expect(await typed()).toEqual({ name: "", kind: "workspace", scope: "read", expiresIn: "90" });
    const second = `${name} (second)`;
    await form.getByLabel("Name").fill(second);
    await form.getByRole("button", { name: "Create token" }).click();
    await page.getByRole("row").filter({ hasText: second }).waitFor();
    expect(await page.getByRole("row").filter({ hasText: name }).filter({ hasNotText: "(second)" }).getByRole("cell").nth(2).textContent()).toBe("Workspace, admin-read");
    expect(await page.getByRole("row").filter({ hasText: second }).getByRole("cell").nth(2).textContent()).toBe("Workspace, read");
  });

  it("keeps a new webhook's events and payload after a failed save", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-webhook"));
    await page.goto("/settings/webhooks");
    const webhook = page.locator("form").filter({ has: page.getByRole("button", { name: "Add webhook" }) });
    const hook = async () => ({
      url: await webhook.getByLabel("Endpoint URL").inputValue(),
      failed: await webhook.getByLabel("execution.failed").isChecked(),
      reminder: await webhook.getByLabel("recommendations.awaiting_approval").isChecked(),
      format: await webhook.getByLabel("Payload").inputValue(),
      secret: await webhook.getByLabel("Secret (empty: generated)").inputValue(),
    });
    await webhook.getByLabel("Endpoint URL").fill("https://hooks.example.com/kept");
    await webhook.getByLabel("execution.failed").uncheck();
    await webhook.getByLabel("recommendations.awaiting_approval").check();
    await webhook.getByLabel("Payload").selectOption("slack");
    await webhook.getByLabel("Secret (empty: generated)").fill("a-secret-of-twenty-chars");
    const restoreHooks = await cutActions(page, "abort");
    try {
      await webhook.getByRole("button", { name: "Add webhook" }).click();
      await webhook.getByRole("alert").filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    } finally {
      await restoreHooks();
    }
    expect(await hook()).toEqual({ url: "https://hooks.example.com/kept", failed: false, reminder: true, format: "slack", secret: "a-secret-of-twenty-chars" });
  });

  it("keeps the connection health chosen in Settings → Connection after a failed save", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-connection"));
    await page.goto("/settings/connection");
    const saved = await page.getByLabel("Health").inputValue();
    const chosen = saved === "slow" ? "lost" : "slow";
    await page.getByLabel("Health").selectOption(chosen);
    await page.getByLabel("Delay per call, ms (slow)").fill("1234");
    const restore = await cutActions(page, "abort");
    try {
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("alert").filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    } finally {
      await restore();
    }
    expect([await page.getByLabel("Health").inputValue(), await page.getByLabel("Delay per call, ms (slow)").inputValue()]).toEqual([chosen, "1234"]);
    // Nothing was saved, and the next tests expect the health they set.
    await page.reload();
    expect(await page.getByLabel("Health").inputValue()).toBe(saved);
  });

  it("keeps a new workflow's name, agent, schedule and size after a failed save and after a refusal", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-workflow"));
    await page.goto("/workflows");
    const workflow = page.locator("form").filter({ has: page.getByRole("button", { name: "Create workflow" }) });
    const entered = async () => ({
      name: await workflow.getByLabel("Name").inputValue(),
      agent: await workflow.getByLabel("Agent").inputValue(),
      schedule: await workflow.getByLabel("Schedule", { exact: true }).inputValue(),
      cron: await workflow.getByLabel("Custom cron schedule").inputValue(),
      maxItems: await workflow.getByLabel("At most").inputValue(),
    });
    await workflow.getByLabel("Name").fill("Kept through a cut");
    await workflow.getByLabel("Agent").selectOption({ label: "Performance audit" });
    await workflow.getByLabel("Schedule", { exact: true }).selectOption({ label: "Every hour" });
    await workflow.getByLabel("At most").fill("12");
    const restoreWorkflows = await cutActions(page, "abort");
    try {
      await workflow.getByRole("button", { name: "Create workflow" }).click();
      await workflow.getByRole("alert").filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
    } finally {
      await restoreWorkflows();
    }
    const performanceAudit = await workflow.getByLabel("Agent").locator("option", { hasText: "Performance audit" }).getAttribute("value");
    expect(await entered()).toEqual({ name: "Kept through a cut", agent: performanceAudit, schedule: "0 * * * *", cron: "", maxItems: "12" });

    // A refusal (a cron line that is not one) keeps them too.
    await workflow.getByLabel("Custom cron schedule").fill("every night");
    await workflow.getByRole("button", { name: "Create workflow" }).click();
    await workflow.getByRole("alert").filter({ hasText: /cron/ }).waitFor();
    expect(await entered()).toEqual({ name: "Kept through a cut", agent: performanceAudit, schedule: "0 * * * *", cron: "every night", maxItems: "12" });

    // Before the page's script runs (or without it) the form posts to its action and shows the answer.
    const noScript = await page.context().browser()!.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    try {
      const bare = await noScript.newPage();
      await bare.goto(new URL("/workflows", page.url()).toString());
      const form = bare.locator("form").filter({ has: bare.getByRole("button", { name: "Create workflow" }) });
      const name = `Posted without JavaScript ${Date.now()}`;
      await form.getByLabel("Name").fill(name);
      await form.getByRole("button", { name: "Create workflow" }).click();
      await bare.getByRole("status").filter({ hasText: "Workflow created." }).waitFor();
      await bare.getByRole("link", { name, exact: true }).waitFor();
      expect(await bare.getByRole("row").filter({ hasText: name }).count()).toBe(1);
    } finally {
      await noScript.close();
    }
  });
});

describe("a button that takes the person elsewhere, when its call gets no answer", () => {
  it("keeps the page of a person switching workspace with a sentence, switches once Runlog answers, and switches without JavaScript", async () => {
    const browser = await launchBrowser();
    try {
      const { page: maya } = await newPage(browser);
      onTestFailed(() => screenshotOnFailure(maya, "unreachable-switch"));
      await signIn(maya, "maya@acme.test");
      await maya.goto("/executions");
      const workspaceName = maya.getByTestId("workspace-name");
      expect(await workspaceName.textContent()).toBe("Acme Outfitters");
      const switcher = maya.locator("form").filter({ has: maya.getByRole("button", { name: "Switch" }) });
      await switcher.getByLabel("Workspace", { exact: true }).selectOption({ label: "Globex Goods" });
      await sendThroughEachCut(maya, () => switcher.getByRole("button", { name: "Switch" }).click(), switcher.getByRole("alert"), async () => {
        expect(await workspaceName.textContent()).toBe("Acme Outfitters");
      }, unansweredChange);
      await switcher.getByRole("button", { name: "Switch" }).click();
      await maya.waitForFunction(() => document.querySelector('[data-testid="workspace-name"]')?.textContent === "Globex Goods");
      expect(await maya.getByRole("alert").filter({ hasText: /\S/ }).count()).toBe(0);

      const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await maya.context().storageState() });
      const bare = await noScript.newPage();
      await bare.goto(new URL("/executions", maya.url()).toString());
      const bareSwitcher = bare.locator("form").filter({ has: bare.getByRole("button", { name: "Switch" }) });
      await bareSwitcher.getByLabel("Workspace", { exact: true }).selectOption({ label: "Acme Outfitters" });
      await bareSwitcher.getByRole("button", { name: "Switch" }).click();
      await bare.waitForURL(/\/executions$/);
      expect(await bare.getByTestId("workspace-name").textContent()).toBe("Acme Outfitters");
    } finally {
      await browser.close();
    }
  });

  it("keeps a password link's page for a member who opens it in Runlog with a sentence, and opens the run once Runlog answers", async () => {
    onTestFailed(() => screenshotOnFailure(page, "unreachable-open-in-runlog"));
    const dialog = await openShareDialog("Link");
    const executionUrl = page.url();
    await dialog.getByLabel("Link password").fill("members-need-none-4");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByLabel("New link").inputValue();

    await page.goto(link);
    const protectedHeading = page.getByRole("heading", { name: "This shared execution is protected" });
    await protectedHeading.waitFor();
    const offer = page.locator("form").filter({ has: page.getByRole("button", { name: "Open in Runlog" }) });
    await sendThroughEachCut(page, () => offer.getByRole("button", { name: "Open in Runlog" }).click(), offer.getByRole("alert"), async () => {
      expect(await protectedHeading.isVisible()).toBe(true);
    }, unansweredChange);
    await offer.getByRole("button", { name: "Open in Runlog" }).click();
    await page.waitForURL(executionUrl);
    await page.getByRole("heading", { name: "SEO audit", level: 1 }).waitFor();
  });
});

/**
 * Lets every server action call `on` makes reach Runlog, which does its work, and then drops the
 * answer on its way back (the connection cuts after the server did the work), until the returned
 * function is called.
 */
async function dropAnswers(on: Page): Promise<() => Promise<void>> {
  const handler = async (route: Route) => {
    const request = route.request();
    if (request.method() !== "POST" || !request.headers()["next-action"]) return route.fallback();
    await (await route.fetch()).body();
    return route.abort("internetdisconnected");
  };
  await on.route("**/*", handler);
  return () => on.unroute("**/*", handler);
}

/**
 * Sends a form once with its answer dropped, runs `meanwhile` (which may look in another tab at
 * what the first try made), then sends it again: what the first made is what the second answers.
 */
async function sendAgainAfterLostAnswer(on: Page, send: () => Promise<void>, answers: Locator, meanwhile?: () => Promise<void>): Promise<void> {
  const restore = await dropAnswers(on);
  try {
    await send();
    await answers.filter({ hasText: unansweredForm.unknown }).waitFor({ timeout: 10_000 });
  } finally {
    await restore();
  }
  await meanwhile?.();
  await send();
}

describe("a create whose answer is lost, sent again", () => {
  it("adds one webhook, and says it was added", async () => {
    onTestFailed(() => screenshotOnFailure(page, "lost-answer-webhook"));
    await page.goto("/settings/webhooks");
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add webhook" }) });
    // A public address by its number: nothing to look up, and nothing there answers.
    const url = `https://203.0.113.7/runlog-once-${Date.now()}`;
    const endpoints = page.getByTestId("webhook").filter({ hasText: url });
    await form.getByLabel("Endpoint URL").fill(url);
    await sendAgainAfterLostAnswer(page, () => form.getByRole("button", { name: "Add webhook" }).click(), form.getByRole("alert"), async () => {
      // The first try reached Runlog, which added it; only its answer was lost.
      const other = await page.context().newPage();
      await other.goto("/settings/webhooks");
      expect(await other.getByTestId("webhook").filter({ hasText: url }).count()).toBe(1);
      await other.close();
    });
    await form.getByRole("status").filter({ hasText: "Added. Its signing secret is under the endpoint below." }).waitFor();
    await endpoints.first().waitFor();
    expect(await endpoints.count()).toBe(1);
    await page.reload();
    expect(await endpoints.count()).toBe(1);
    // Deliveries to it would wait on an address that never answers.
    page.once("dialog", (dialog) => dialog.accept());
    await endpoints.getByRole("button", { name: `Remove the webhook to ${url}` }).click();
    await endpoints.waitFor({ state: "detached" });
  });

  it("makes one API token, and says its value could only be shown the first time", async () => {
    onTestFailed(() => screenshotOnFailure(page, "lost-answer-api-token"));
    await page.goto("/settings/api-tokens");
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create token" }) });
    const name = `Made once ${Date.now()}`;
    await form.getByLabel("Name").fill(name);
    await sendAgainAfterLostAnswer(page, () => form.getByRole("button", { name: "Create token" }).click(), form.getByRole("alert"));
    const said = form.getByRole("status").filter({ hasText: /^Your first try created this token \(rl_[A-Za-z0-9_-]{8}…\); its value could only be shown then\. If you did not copy it, revoke it below and create another\.$/ });
    await said.waitFor();
    expect(await form.getByTestId("new-api-token").count()).toBe(0);
    const rows = page.getByRole("row").filter({ hasText: name });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    await page.reload();
    expect(await rows.count()).toBe(1);

    // The next token is a new entry: it is made, and its value shown.
    await form.getByLabel("Name").fill(`${name} (next)`);
    await form.getByRole("button", { name: "Create token" }).click();
    await form.getByTestId("new-api-token").waitFor();
    expect(await page.getByRole("row").filter({ hasText: name }).count()).toBe(2);
  });

  it("makes one share link, and says its address could only be shown the first time", async () => {
    onTestFailed(() => screenshotOnFailure(page, "lost-answer-link"));
    const dialog = await openShareDialog("Link");
    const form = dialog.getByRole("form", { name: "Create a link" });
    const links = dialog.getByTestId("link-grant");
    await links.or(dialog.getByText(/can see this execution\.$/)).first().waitFor();
    const linksBefore = await links.count();
    await form.getByLabel("Link password").fill("sent-twice-once");
    await sendAgainAfterLostAnswer(page, () => form.getByRole("button", { name: "Create link" }).click(), dialog.getByRole("alert"));
    await dialog.getByRole("status").filter({ hasText: "Your first try created this link; its address could only be shown then. If you did not copy it, revoke it below and create another." }).waitFor();
    expect(await form.getByLabel("New link").count()).toBe(0);
    await expect.poll(() => links.count()).toBe(linksBefore + 1);
  });
});
