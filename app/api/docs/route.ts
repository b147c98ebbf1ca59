import { referencePage } from "@/lib/http/api-reference";
import { route } from "@/lib/http/route";

export const dynamic = "force-static";

/** `GET /api/docs`: the API reference, Swagger UI over /api/openapi.json. Public. */
export const GET = route({ access: "public" }, async () => new Response(referencePage, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=300" } }));
