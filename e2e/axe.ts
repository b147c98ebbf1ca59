import fs from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/** One rule axe-core found broken on a page, with how many elements break it. */
export type AxeViolation = { id: string; impact: string; help: string; nodes: number; targets: string[] };

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now.
 * The script is evaluated through the DevTools protocol, which a content security policy
 * does not govern, so the page needs no inline script of its own.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource};0`);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? "", help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => String(n.target[0])) }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}
