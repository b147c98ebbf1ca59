import type { Locator, Page } from "playwright-core";
import { describe, expect, it, onTestFailed } from "vitest";
import { screenshotOnFailure, signedInPageForFile } from "./browser";
import { adminWalk, createShareLink, findDemoRuns, linkWalk } from "./page-walk";

let page: Page;
signedInPageForFile("admin@acme.test", (opened) => (page = opened));

const rows = () => page.getByTestId("execution-row");
const scrollWidth = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth] as const);

describe("past executions at real sizes", () => {
  it("fits 1440 px and a 390 px phone with no sideways scroll, the actions column in view", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-widths"));
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/executions");
      await rows().first().waitFor();
      const [scroll, viewport] = await scrollWidth();
      expect(scroll).toBe(viewport);
      const menu = await rows().first().getByRole("button", { name: /^Actions for/ }).boundingBox();
      expect(menu!.x + menu!.width).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("opens one row menu at a time, closes it on Esc, Tab, a click outside and a scroll, and keeps it inside the window", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-menu"));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto("/executions");
    const last = rows().last();
    await last.scrollIntoViewIfNeeded();
    await last.getByRole("button", { name: /^Actions for/ }).click();
    const menu = page.getByRole("menu");
    await menu.waitFor();
    const box = (await menu.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await last.getByRole("button", { name: /^Actions for/ }).evaluate((b) => b === document.activeElement)).toBe(true);

    const actions = (n: number) => rows().nth(n).getByRole("button", { name: /^Actions for/ });
    await actions(0).click();
    await menu.waitFor();
    // Another row's button that the open menu does not cover, so a person could click it.
    const menuBottom = (await menu.boundingBox())!.y + (await menu.boundingBox())!.height;
    let other = 1;
    while ((await actions(other).boundingBox())!.y <= menuBottom) other++;
    await actions(other).click();
    await rows().nth(other).locator('button[aria-expanded="true"]').waitFor();
    expect(await page.getByRole("menu").count()).toBe(1);
    expect(await actions(0).getAttribute("aria-expanded")).toBe("false");
    await page.getByRole("heading", { name: "Past executions" }).click();
    await page.getByRole("menu").waitFor({ state: "detached" });

    // Scrolling the page takes the button away from its panel: the menu closes.
    await actions(0).click();
    await menu.waitFor();
    await page.mouse.wheel(0, 200);
    await menu.waitFor({ state: "detached" });

    // By keyboard: Enter opens it on its first item, arrows move, Tab closes it and moves on from its button.
    await rows().nth(2).getByRole("button", { name: /^Actions for/ }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("menu").waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent ?? "");
    expect(await focused()).toBe("Open");
    await page.keyboard.press("ArrowDown");
    expect(await focused()).toBe("Run again");
    await page.keyboard.press("Tab");
    await page.getByRole("menu").waitFor({ state: "detached" });
    expect(await rows().nth(3).getByRole("checkbox").evaluate((box) => box === document.activeElement)).toBe(true);
  });

  it("opens a run by clicking anywhere on its row, and finds a run by the first 8 characters of its ID", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-row-link"));
    await page.goto("/executions?status=completed");
    const row = rows().first();
    const href = (await row.getByTestId("execution-link").getAttribute("href"))!;
    await row.locator('td[data-label="Scope"]').click();
    await page.waitForURL((url) => url.pathname === href);

    await page.goto("/executions");
    const id = href.split("/").pop()!;
    const search = page.getByRole("search", { name: "Filter executions" }).getByLabel("Find by ID");
    await search.fill(id.slice(0, 8));
    await search.press("Enter");
    await page.waitForURL(/id=/);
    await page.waitForFunction((wanted) => [...document.querySelectorAll('[data-testid="execution-link"]')].every((a) => a.getAttribute("href")!.includes(wanted)), id.slice(0, 8));
    expect(await rows().getByTestId("execution-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toContain(href);
  });

  it("sorts by credits, largest first, and pages on in that order", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-sort"));
    await page.goto("/executions?status=completed");
    await page.getByRole("columnheader", { name: "Credits" }).getByRole("link").click();
    await page.waitForURL(/sort=credits/);
    const credits = () => rows().locator('td[data-label="Credits"]').evaluateAll((cells) => cells.map((c) => Number(c.textContent!.replace(/\D/g, ""))));
    await page.waitForFunction(() => document.querySelector('th[aria-sort="descending"]')?.textContent?.includes("Credits"));
    const first = await credits();
    expect(first).toEqual([...first].sort((a, b) => b - a));
    await page.getByRole("link", { name: "Older →" }).click();
    await page.waitForURL(/after=/);
    await page.waitForFunction((top) => Number(document.querySelector('[data-testid="execution-row"] td[data-label="Credits"]')!.textContent!.replace(/\D/g, "")) <= top, first.at(-1)!);
    const second = await credits();
    expect(second[0]!).toBeLessThanOrEqual(first.at(-1)!);
    expect(second).toEqual([...second].sort((a, b) => b - a));
  });
});

describe("on a phone", () => {
  it("scrolls no page sideways at 390 px", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-phone-pages"));
    await page.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    const runs = await findDemoRuns(page.request);
    const link = await createShareLink(page, runs.largest.id);
    for (const walked of [...adminWalk(runs), ...linkWalk(link)]) {
      await page.goto(walked.path);
      await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
      const [scroll, viewport] = await scrollWidth();
      if (scroll > viewport) wide.push(`${walked.name}: ${scroll} px`);
    }
    expect(wide).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 180_000);

  it("keeps a row menu taller than the room around its button inside the window, scrolling inside it to its last item", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-phone-row-menu"));
    await page.setViewportSize({ width: 390, height: 844 });
    // Completed runs' menus all hold the same items, Delete… last.
    await page.goto("/executions?status=completed");
    const button = rows().nth(3).getByRole("button", { name: /^Actions for/ });
    await button.evaluate((b) => b.scrollIntoView({ block: "center" }));
    await button.click();
    const menu = page.getByRole("menu");
    await menu.waitFor();
    // In the page's main landmark with its row, not after every landmark at the end of the page.
    expect(await menu.evaluate((panel) => panel.closest("main") !== null)).toBe(true);
    // Whether the menu's last item can be seen: inside the panel's visible part, and the panel inside the window.
    const lastItemShows = () => page.evaluate(() => {
      const panel = document.querySelector('[role="menu"]')!.getBoundingClientRect();
      const items = document.querySelectorAll('[role="menu"] [role="menuitem"]');
      const item = items[items.length - 1]!.getBoundingClientRect();
      return panel.top >= 0 && panel.bottom <= window.innerHeight && item.top >= panel.top && item.bottom <= panel.bottom;
    });
    const panel = (await menu.boundingBox())!;
    expect(panel.y).toBeGreaterThanOrEqual(0);
    expect(panel.y + panel.height).toBeLessThanOrEqual(844);
    expect(await lastItemShows(), "the menu is taller than either side's room at this size").toBe(false);
    // The edge with more items beyond it is shaded; the other is plain white.
    const atTop = await edgeBrightness(menu);
    expect(atTop.top).toBe(255);
    expect(atTop.bottom).toBeLessThan(235);
    // The wheel over the panel scrolls the panel, not the page: the menu stays, its last item comes into view.
    await page.mouse.move(panel.x + panel.width / 2, panel.y + panel.height / 2);
    await page.mouse.wheel(0, 1000);
    await expect.poll(lastItemShows).toBe(true);
    const atEnd = await edgeBrightness(menu);
    expect(atEnd.top).toBeLessThan(235);
    expect(atEnd.bottom).toBe(255);
    expect(await menu.count()).toBe(1);
    expect(await menu.getByRole("menuitem").last().textContent()).toBe("Delete…");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("opens the navigation from the menu button and reaches Past executions", async () => {
    onTestFailed(() => screenshotOnFailure(page, "layout-phone-menu"));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/agents");
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    await page.getByRole("button", { name: "Menu" }).click();
    const nav = page.getByRole("dialog", { name: "Navigation" });
    await nav.getByRole("link", { name: "Past executions" }).click();
    await page.waitForURL((url) => url.pathname === "/executions");
    await nav.waitFor({ state: "hidden" });
    const [scroll, viewport] = await scrollWidth();
    expect(scroll).toBe(viewport);
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});

/** How bright a panel is just inside its top and bottom edges, at its right (where no item's text reaches): 255 is white. */
async function edgeBrightness(panel: Locator): Promise<{ top: number; bottom: number }> {
  const png = (await panel.screenshot({ animations: "disabled" })).toString("base64");
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const brightness = (y: number) => {
      const [r, g, b] = context.getImageData(image.width - 12, y, 1, 1).data;
      return Math.round((r! + g! + b!) / 3);
    };
    return { top: brightness(2), bottom: brightness(image.height - 3) };
  }, png);
}
