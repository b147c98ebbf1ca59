import { getSessionContext } from "@/lib/auth/session";
import { failureResponse } from "@/lib/http/failure-response";
import { failure } from "@/lib/outcome";
import { getStoreItem } from "@/lib/platforms/store-items";

export const dynamic = "force-dynamic";

/** `GET /api/store/products/:id` or `/api/store/pages/:id`: a demo-store item as it is now (to check an applied change). */
export async function GET(_request: Request, { params }: { params: Promise<{ type: string; id: string }> }) {
  const ctx = await getSessionContext();
  if (!ctx) return failureResponse(failure("unauthorized", "Sign in to read the store."));
  const item = await getStoreItem(ctx, await params);
  if (!item) return failureResponse(failure("not_found", "No such product or page in this workspace's store."));
  return Response.json(item);
}
