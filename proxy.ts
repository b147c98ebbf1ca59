import { NextResponse, type NextRequest } from "next/server";
import { isDatabaseUnreachable } from "@/db/connection-errors";
import { unavailableMessage } from "@/lib/unexpected-failure";

/**
 * Runs before every page, action and route. A form post or server action from another site
 * (its Origin is not this host) is refused with 403 and a sentence here, where Next.js would
 * refuse it too but answer 500. While the database is down (a connection error
 * that a probe on a fresh connection confirmed, db/connection-errors.ts), everything but the
 * health check answers 503 with one sentence at once, instead of each page failing on its own
 * with a 500; the first query or probe that gets through ends it.
 */
export function proxy(request: NextRequest) {
  if (isCrossSitePost(request)) {
    return new NextResponse(crossSiteMessage, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  if (!isDatabaseUnreachable() || request.nextUrl.pathname === "/api/health") return NextResponse.next();
  const headers = { "Retry-After": "5", "Cache-Control": "no-store" };
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unavailable", message: unavailableMessage } }, { status: 503, headers });
  }
  return new NextResponse(unavailablePage, { status: 503, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

const crossSiteMessage = "Runlog accepts forms and actions only from its own pages; open Runlog and try again there.";

/**
 * A POST to a page (a server action, or a form without JavaScript) whose Origin header names
 * another host than the one it was sent to, compared as Next.js compares them (the first
 * X-Forwarded-Host, else Host). Routes under /api answer for themselves.
 */
function isCrossSitePost(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (request.method !== "POST" || origin === null || request.nextUrl.pathname.startsWith("/api/")) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  return originHost !== host;
}

const unavailablePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Runlog is unavailable</title></head>
<body style="font-family: system-ui, sans-serif; color: #0f172a; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.25rem">Runlog is unavailable</h1>
<p>${unavailableMessage}</p>
<p><a href="" style="color: #0369a1">Try again</a></p>
</body></html>`;

export const config = {
  // Not the build's static files: they need no database.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
