import { route } from "@/lib/http/route";
import { failure } from "@/lib/outcome";
import { getStoreItem } from "@/lib/platforms/store-items";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/** `GET /api/store/products/:id` or `/api/store/pages/:id`: a demo-store item as it is now (to check an applied change). */
export const GET = route<{ type: string; id: string }>({ access: "member", signInTo: "read the store" }, async ({ caller, params }) => {
  const item = await getStoreItem(caller, params);
  return item ? Response.json(item) : failure("not_found", "No such product or page in this workspace's store.");
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
