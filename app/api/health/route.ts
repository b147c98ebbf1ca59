import { isDatabaseReachable } from "@/db/client";
import { isDatabaseReady } from "@/db/prepare";
import { route } from "@/lib/http/route";
import { unavailableMessage } from "@/lib/unexpected-failure";
import { otherMethods } from "@/lib/http/other-methods";

export const dynamic = "force-dynamic";

/**
 * For load balancers and tests: 200 once the database is migrated and seeded and answers a
 * query within 2 s; 503 while it is starting, or when it cannot be reached.
 */
export const GET = route({ access: "public" }, async () => {
  if (!isDatabaseReady()) return Response.json({ status: "starting", database: "starting" }, { status: 503 });
  if (!(await isDatabaseReachable())) return Response.json({ status: "unavailable", database: "down", message: unavailableMessage }, { status: 503, headers: { "Retry-After": "5" } });
  return Response.json({ status: "ok", database: "up" });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
