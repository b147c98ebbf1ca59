import { isDatabaseReady } from "@/db/prepare";

export const dynamic = "force-dynamic";

/** 200 once the database is migrated and seeded, 503 before (load balancers, tests). */
export function GET() {
  const isReady = isDatabaseReady();
  return Response.json({ status: isReady ? "ok" : "starting" }, { status: isReady ? 200 : 503 });
}
