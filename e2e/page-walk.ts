/**
 * The app's main pages as the accessibility test and `npm run measure:pages` walk them: every
 * page in the navigation, the run pages of the demo's largest runs, a failed run, a comparison
 * and a share link. Runs are chosen by what they are (status, size), never by position, since
 * the seed follows the time of day.
 */
import type { APIRequestContext, Page } from "playwright-core";

type ListedRun = { id: string; agentId: string; status: string; items: { processed: number } };

export type DemoRuns = { largest: ListedRun; largestByAgent: ListedRun[]; failed: ListedRun; comparable: [string, string] };

/** Every run the signed-in person can see, through the JSON API. */
async function listRuns(request: APIRequestContext, query: string): Promise<ListedRun[]> {
  const runs: ListedRun[] = [];
  let url: string | null = `/api/executions?limit=100&${query}`;
  while (url) {
    const response = await request.get(url);
    if (response.status() !== 200) throw new Error(`GET ${url} answered ${response.status()}`);
    const body = (await response.json()) as { executions: ListedRun[]; page: { next: { url: string } | null } };
    runs.push(...body.executions);
    url = body.page.next?.url ?? null;
  }
  return runs;
}

export async function findDemoRuns(request: APIRequestContext): Promise<DemoRuns> {
  const finished = await listRuns(request, "status=completed&status=partial");
  const bySize = [...finished].sort((a, b) => b.items.processed - a.items.processed || a.id.localeCompare(b.id));
  const largestByAgent = [...new Set(bySize.map((r) => r.agentId))].sort().map((agent) => bySize.find((r) => r.agentId === agent)!);
  const [failed] = await listRuns(request, "status=failed&limit=1").then((runs) => runs.sort((a, b) => a.id.localeCompare(b.id)));
  const audits = finished.filter((r) => r.agentId === "seo-audit" && r.status === "completed");
  if (!bySize[0] || !failed || audits.length < 2) throw new Error("The demo data lacks finished, failed or two completed SEO audit runs");
  return { largest: bySize[0], largestByAgent, failed, comparable: [audits[0]!.id, audits[1]!.id] };
}

/** A view-only link to the run, made through the share dialog as its owner would. */
export async function createShareLink(page: Page, executionId: string): Promise<string> {
  await page.goto(`/executions/${executionId}`);
  await page.getByRole("button", { name: "Share", exact: true }).first().click();
  const dialog = page.getByRole("dialog", { name: /^Share / });
  await dialog.getByRole("tab", { name: "Link" }).click();
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = await dialog.getByLabel("New link").inputValue();
  await page.keyboard.press("Escape");
  return link;
}

export type WalkedPage = { who: "admin" | "member" | "visitor"; name: string; path: string };

const adminPages = [
  ["Past executions", "/executions"], ["Shared with me", "/shared"], ["Agents", "/agents"], ["Run SEO audit", "/agents/seo-audit"],
  ["Workflows", "/workflows"], ["Credits", "/credits"], ["Credits, 365 days", "/credits?period=365"], ["Audit log", "/audit"],
  ["Email outbox", "/email-outbox"], ["Archived", "/archived"], ["Notifications", "/notifications"],
  ["Settings: notifications", "/settings/notifications"], ["Settings: store connection", "/settings/connection"],
  ["Settings: sharing", "/settings/sharing"], ["Settings: retention", "/settings/retention"], ["Settings: API tokens", "/settings/api-tokens"],
  ["Settings: webhooks", "/settings/webhooks"], ["Help and support", "/help"],
] as const;

const memberPages = [
  ["Past executions", "/executions"], ["Shared with me", "/shared"], ["Agents", "/agents"], ["Credits", "/credits"],
  ["Notifications", "/notifications"], ["Settings: account", "/settings/account"], ["Settings: notifications", "/settings/notifications"], ["Settings: API tokens", "/settings/api-tokens"],
  ["Help and support", "/help"],
] as const;

export function adminWalk(runs: DemoRuns): WalkedPage[] {
  return [
    ...adminPages.map(([name, path]) => ({ who: "admin" as const, name, path })),
    ...runs.largestByAgent.flatMap((run) => ["", "results", "recommendations", "log", "downloads"].map((tab) => ({
      who: "admin" as const,
      name: `Run page: largest ${run.agentId} (${run.items.processed} items)${tab ? `, ${tab} tab` : ""}`,
      path: `/executions/${run.id}${tab ? `?tab=${tab}` : ""}`,
    }))),
    { who: "admin", name: "Run page: a failed run", path: `/executions/${runs.failed.id}` },
    { who: "admin", name: "Compare two SEO audits", path: `/executions/compare?ids=${runs.comparable.join(",")}` },
  ];
}

export function memberWalk(runId: string | null): WalkedPage[] {
  return [
    ...memberPages.map(([name, path]) => ({ who: "member" as const, name, path })),
    ...(runId ? ["", "results", "recommendations", "log"].map((tab) => ({ who: "member" as const, name: `Run page: their own largest run${tab ? `, ${tab} tab` : ""}`, path: `/executions/${runId}${tab ? `?tab=${tab}` : ""}` })) : []),
  ];
}

/** Each tab of a share link, as its visitor sees it. */
export function linkWalk(link: string): WalkedPage[] {
  const path = new URL(link, "http://link").pathname;
  return ["", "results", "recommendations", "log", "downloads"].map((tab) => ({ who: "visitor" as const, name: `Share link${tab ? `, ${tab} tab` : ""}`, path: `${path}${tab ? `?tab=${tab}` : ""}` }));
}

/** The member's largest finished run of their own, or null when they have none. */
export async function memberLargestRun(request: APIRequestContext): Promise<string | null> {
  const runs = await listRuns(request, "status=completed");
  return runs.sort((a, b) => b.items.processed - a.items.processed || a.id.localeCompare(b.id))[0]?.id ?? null;
}
