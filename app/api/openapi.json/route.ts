import { route } from "@/lib/http/route";
import { openApiDocument } from "@/lib/http/openapi";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-static";

/** `GET /api/openapi.json`: the API's OpenAPI 3.1 document, generated from the routes' zod schemas. Public. */
export const GET = route({ access: "public" }, async () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
