import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

const someId = "00000000-0000-4000-8000-000000000000";

/** Every member route, as a signed-out caller would call it, with the sentence of its 401. */
const memberRoutes: { route: string; method?: "POST"; url: string; signInTo: string }[] = [
  { route: "archived/[id]", url: `/api/archived/${someId}`, signInTo: "export archived executions" },
  { route: "audit", url: "/api/audit", signInTo: "export the audit log" },
  { route: "credits/ledger", url: "/api/credits/ledger", signInTo: "export the credit ledger" },
  { route: "executions", url: "/api/executions", signInTo: "list executions" },
  { route: "executions/[id]/export/[format]", url: `/api/executions/${someId}/export/csv`, signInTo: "download executions" },
  { route: "executions/[id]/log", url: `/api/executions/${someId}/log`, signInTo: "read this log" },
  { route: "executions/[id]/progress", url: `/api/executions/${someId}/progress`, signInTo: "see this execution" },
  { route: "executions/[id]/cancel", method: "POST", url: `/api/executions/${someId}/cancel`, signInTo: "cancel executions" },
  { route: "executions/[id]/recommendations", url: `/api/executions/${someId}/recommendations`, signInTo: "read recommendations" },
  { route: "executions/[id]/recommendations/apply", method: "POST", url: `/api/executions/${someId}/recommendations/apply`, signInTo: "apply recommendations" },
  { route: "executions/[id]/recommendations/apply-jobs", method: "POST", url: `/api/executions/${someId}/recommendations/apply-jobs`, signInTo: "apply recommendations" },
  { route: "executions/[id]/recommendations/apply-jobs/[jobId]", url: `/api/executions/${someId}/recommendations/apply-jobs/${someId}`, signInTo: "follow apply jobs" },
  { route: "executions/[id]/recommendations/apply-jobs/[jobId]/stop", method: "POST", url: `/api/executions/${someId}/recommendations/apply-jobs/${someId}/stop`, signInTo: "stop apply jobs" },
  { route: "executions/[id]/recommendations/decide", method: "POST", url: `/api/executions/${someId}/recommendations/decide`, signInTo: "approve or reject recommendations" },
  { route: "executions/[id]/recommendations/revert", method: "POST", url: `/api/executions/${someId}/recommendations/revert`, signInTo: "revert recommendations" },
  { route: "executions/[id]/report-files", url: `/api/executions/${someId}/report-files`, signInTo: "list report files" },
  { route: "executions/estimate", method: "POST", url: "/api/executions/estimate", signInTo: "estimate a run" },
  { route: "executions/compare", url: `/api/executions/compare?ids=${someId},${someId}`, signInTo: "compare executions" },
  { route: "executions/export", url: "/api/executions/export", signInTo: "export executions" },
  { route: "notifications", url: "/api/notifications", signInTo: "read notifications" },
  { route: "notifications/[id]/read", method: "POST", url: `/api/notifications/${someId}/read`, signInTo: "read notifications" },
  { route: "report-files/[fileId]", url: `/api/report-files/${someId}`, signInTo: "download report files" },
  { route: "store/[type]/[id]", url: `/api/store/products/${someId}`, signInTo: "read the store" },
];
/** Routes anyone may call, and the two that speak another protocol (next-auth's, Inngest's). */
const openRoutes = ["health", "schema/execution.json", "auth/[...nextauth]", "inngest", "openapi.json", "docs", "docs/[asset]"];

function routeFolders(dir: string, prefix = ""): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return entry.name === "route.ts" ? [prefix.replace(/\/$/, "")] : [];
    return routeFolders(path.join(dir, entry.name), `${prefix}${entry.name}/`);
  });
}

describe("API routes", () => {
  it("lists every route under app/api here, as a member route or an open one", () => {
    const routes = routeFolders(path.join(process.cwd(), "app", "api")).sort();
    expect(routes).toEqual([...memberRoutes.map((r) => r.route), ...openRoutes].sort());
  });

  it("answers a signed-out caller of every member route with 401 and a sentence saying to sign in", async () => {
    for (const { url, method, signInTo } of memberRoutes) {
      const response = await fetch(new URL(url, inject("baseURL")), { method: method ?? "GET", redirect: "manual" });
      expect(response.status, url).toBe(401);
      expect(await response.json(), url).toEqual({ error: { code: "unauthorized", message: `Sign in to ${signInTo}.` } });
    }
  });

  it("answers a method a route does not take with 405, a sentence naming what it takes, and Allow", async () => {
    const wrongMethods = [
      // /api/executions takes GET and POST: it has its own line below.
      ...memberRoutes.filter(({ url }) => url !== "/api/executions").map(({ url, method }) => ({ url, method: method === "POST" ? "GET" : "DELETE", allow: method === "POST" ? "POST" : "GET, HEAD", takes: method ?? "GET" })),
      { url: "/api/executions", method: "PATCH", allow: "GET, POST, HEAD", takes: "GET and POST" },
      { url: "/api/health", method: "PUT", allow: "GET, HEAD", takes: "GET" },
      { url: "/s/not-a-token/download/csv", method: "POST", allow: "GET, HEAD", takes: "GET" },
    ];
    for (const { url, method, allow, takes } of wrongMethods) {
      const response = await fetch(new URL(url, inject("baseURL")), { method, redirect: "manual" });
      expect(response.status, `${method} ${url}`).toBe(405);
      expect(response.headers.get("allow"), `${method} ${url}`).toBe(allow);
      expect(await response.json(), `${method} ${url}`).toEqual({ error: { code: "method_not_allowed", message: `${new URL(url, "http://x").pathname} answers ${takes}, not ${method}.` } });
      // OPTIONS names the same methods, not the refusals.
      const options = await fetch(new URL(url, inject("baseURL")), { method: "OPTIONS", redirect: "manual" });
      expect(options.status, `OPTIONS ${url}`).toBe(204);
      expect(options.headers.get("allow"), `OPTIONS ${url}`).toBe(`${allow}, OPTIONS`);
    }
  });
});
