import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

/** Every route file under app/api as its OpenAPI path (`[id]` → `{id}`, `[...nextauth]` → `{nextauth}`) and the methods it exports. */
function apiRoutes(dir = path.join(process.cwd(), "app", "api"), prefix = "/api"): { path: string; methods: string[] }[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return apiRoutes(path.join(dir, entry.name), `${prefix}/${entry.name.replace(/^\[(?:\.\.\.)?(.+)\]$/, "{$1}")}`);
    if (entry.name !== "route.ts") return [];
    const source = fs.readFileSync(path.join(dir, entry.name), "utf8");
    const methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b|as (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => (m[1] ?? m[2])!.toLowerCase());
    return [{ path: prefix, methods }];
  });
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document by an independent validator", async () => {
    const document = openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route under app/api, each method it answers, and its errors", () => {
    const document = openApiDocument();
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const described = document.paths?.[route.path] as Record<string, { responses: Record<string, unknown> }> | undefined;
      expect(described, route.path).toBeDefined();
      expect(route.methods.length, route.path).toBeGreaterThan(0);
      for (const method of route.methods) {
        expect(described?.[method], `${method.toUpperCase()} ${route.path}`).toBeDefined();
        if (route.path !== "/api/docs" && !route.path.startsWith("/api/auth") && !route.path.startsWith("/api/schema") && route.path !== "/api/openapi.json") {
          expect(Object.keys(described![method]!.responses).some((status) => Number(status) >= 400), `${method.toUpperCase()} ${route.path} lists its errors`).toBe(true);
        }
      }
    }
    // Nothing described that does not exist.
    expect(Object.keys(document.paths ?? {}).sort()).toEqual(routes.map((r) => r.path).sort());
  });

  it("carries the routes' own validation rules: the start body's agents, the list filter's limits", () => {
    const document = JSON.stringify(openApiDocument());
    expect(document).toContain('"seo-audit"');
    expect(document).toMatch(/"requestId":\{"type":"string","minLength":8,"maxLength":100\}/);
    expect(document).toContain('"Idempotency-Key"');
  });

  it("describes an apply job: its start takes only the filter and answers its address; its reads and stop answer the job", () => {
    const document = openApiDocument();
    const jobs = "/api/executions/{id}/recommendations/apply-jobs";
    const start = document.paths?.[jobs]?.post as { requestBody: { content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }> }; responses: Record<string, { headers?: Record<string, unknown> }> };
    expect(start.requestBody.content["application/json"]!.schema).toMatchObject({ required: ["allMatching"], additionalProperties: false });
    expect(Object.keys(start.responses)).toEqual(expect.arrayContaining(["202", "200", "400", "403", "404", "409"]));
    expect(start.responses["202"]!.headers).toHaveProperty("Location");
    expect(JSON.stringify(document.paths?.[`${jobs}/{jobId}`]?.get?.responses?.["200"])).toContain("#/components/schemas/ApplyJob");
    expect(Object.keys(document.paths?.[`${jobs}/{jobId}/stop`]?.post?.responses ?? {})).toEqual(expect.arrayContaining(["202", "200", "404"]));
    expect(document.components?.schemas?.ApplyJob).toMatchObject({ properties: { counts: { required: ["planned", "applied", "alreadyApplied", "failed", "leftAlone", "changedElsewhere", "remaining"] } } });
  });
});
