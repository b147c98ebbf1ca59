import { executionJsonSchema } from "@/lib/exports/execution-schema";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-static";

/** `GET /api/schema/execution.json`: the JSON Schema of an execution's JSON download. Public. */
export const GET = route({ access: "public" }, async () => Response.json(executionJsonSchema(), { headers: { "Cache-Control": "public, max-age=3600" } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
