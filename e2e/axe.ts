import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** One rule axe-core found broken on a page, with how many elements break it. */
export type AxeViolation = { id: string; impact: string; help: string; nodes: number; targets: string[] };

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const wcag21 = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * What axe-core finds broken on the page as it is now, of the rules with these tags, whatever their
 * impact. Colour transitions under way (a button just enabled) end first: a colour half-way
 * through one is none the page rests at; so does a title the page streams back after an action
 * re-rendered it (it answers document-title while missing for a moment). The script is evaluated through the DevTools protocol,
 * which a content security policy does not govern, so the page needs no inline script of its own.
 */
async function violations(page: Page, tags: string[]): Promise<AxeViolation[]> {
  await page.waitForFunction(() => document.title !== "", null, { timeout: 5_000 }).catch(() => {});
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => {}))));
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(async (values) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? "", help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => String(n.target[0])) }));
  }, tags);
}

/** The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  return (await violations(page, wcag21)).filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Every WCAG 2.1 A/AA violation and every breach of axe-core's best practices (landmarks, headings, names), minor ones too. */
export function everyViolation(page: Page): Promise<AxeViolation[]> {
  return violations(page, [...wcag21, "best-practice"]);
}
