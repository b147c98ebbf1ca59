import { referenceAsset } from "@/lib/http/api-reference";
import { route } from "@/lib/http/route";
import { failure } from "@/lib/outcome";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/docs/:asset`: the reference page's Swagger UI script and styles, served from this app. */
export const GET = route<{ asset: string }>({ access: "public" }, async ({ params }) => {
  const asset = await referenceAsset(params.asset);
  if (!asset) return failure("not_found", "No such file of the API reference.");
  return new Response(new Uint8Array(Buffer.from(asset.body)), { headers: { "Content-Type": asset.type, "Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff" } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
