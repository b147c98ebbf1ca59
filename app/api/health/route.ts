import { isDatabaseReady } from "@/db/prepare";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** 200 once the database is migrated and seeded, 503 before (load balancers, tests). */
export const GET = route({ access: "public" }, async () => {
  const isReady = isDatabaseReady();
  return Response.json({ status: isReady ? "ok" : "starting" }, { status: isReady ? 200 : 503 });
});
