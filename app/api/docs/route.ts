import { referencePage } from "@/lib/http/api-reference";
import { route } from "@/lib/http/route";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/docs`: the API reference, Swagger UI over /api/openapi.json, its scripts under this request's CSP nonce. Public. */
export const GET = route({ access: "public" }, async ({ request }) =>
  new Response(referencePage(request.headers.get("content-security-policy")), { headers: { "Content-Type": "text/html; charset=utf-8" } }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
