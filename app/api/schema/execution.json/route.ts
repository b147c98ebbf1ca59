import { executionJsonSchema } from "@/lib/exports/execution-schema";

export const dynamic = "force-static";

/** `GET /api/schema/execution.json`: the JSON Schema of an execution's JSON download. Public. */
export function GET() {
  return Response.json(executionJsonSchema(), { headers: { "Cache-Control": "public, max-age=3600" } });
}
