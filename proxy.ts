import { NextResponse, type NextRequest } from "next/server";
import { isDatabaseSettingUp, isDatabaseUnreachable } from "@/db/connection-errors";
import { crossSiteMessage, oversizedMessage } from "@/lib/http/refusal-sentences";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/http/security-headers";
import { settingUpMessage, unavailableMessage } from "@/lib/unexpected-failure";

/**
 * Runs before every page, action and route, and gives every answer the security headers
 * (lib/http/security-headers.ts) with a fresh nonce for the page's scripts. A form post or server action from another site
 * (its Origin is not this host) is refused with 403 and a sentence here, where Next.js would
 * refuse it too but answer 500. While the database is down (a connection error
 * that a probe on a fresh connection confirmed, db/connection-errors.ts), everything but the
 * health check answers 503 with one sentence at once, instead of each page failing on its own
 * with a 500; the first query or probe that gets through ends it.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const isHttps = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const response = answer(request, csp);
  for (const [name, value] of Object.entries(securityHeaders({ pathname: request.nextUrl.pathname, isHttps }, csp))) {
    // A refusal made here already says how it may be cached.
    if (name === "Cache-Control" && response.headers.has(name)) continue;
    response.headers.set(name, value);
  }
  return response;
}

function answer(request: NextRequest, csp: string): NextResponse {
  if (isCrossSitePost(request)) {
    if (request.nextUrl.pathname.startsWith("/api/")) {
      return NextResponse.json({ error: { code: "forbidden", message: crossSiteApiMessage } }, { status: 403, headers: { "Cache-Control": "no-store" } });
    }
    return new NextResponse(crossSiteMessage, { status: 403, headers: { "Content-Type": plainTextFor(request), "Cache-Control": "no-store" } });
  }
  if (hasMalformedEscape(request.nextUrl.pathname)) {
    // Next.js cannot decode such a path into a page's or route's parameters and answers 500.
    if (request.nextUrl.pathname.startsWith("/api/")) {
      return NextResponse.json({ error: { code: "invalid_input", message: malformedAddressMessage } }, { status: 400, headers: { "Cache-Control": "no-store" } });
    }
    return new NextResponse(simplePage("Not a valid address", malformedAddressMessage, { href: "/", label: "Go to Runlog" }), { status: 400, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
  }
  if (isOversizedFormPost(request)) {
    return new NextResponse(oversizedMessage, { status: 413, headers: { "Content-Type": plainTextFor(request), "Cache-Control": "no-store" } });
  }
  if (!isDatabaseUnreachable() || request.nextUrl.pathname === "/api/health") {
    // Next.js takes the nonce for its own scripts from the request's policy.
    const forwarded = new Headers(request.headers);
    forwarded.set("Content-Security-Policy", csp);
    return NextResponse.next({ request: { headers: forwarded } });
  }
  const headers = { "Retry-After": "5", "Cache-Control": "no-store" };
  const isSettingUp = isDatabaseSettingUp();
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return NextResponse.json({ error: { code: "unavailable", message: isSettingUp ? settingUpMessage : unavailableMessage } }, { status: 503, headers });
  }
  if (isServerActionCall(request)) {
    return new NextResponse(isSettingUp ? settingUpMessage : unavailableMessage, { status: 503, headers: { ...headers, "Content-Type": plainTextFor(request) } });
  }
  const page = isSettingUp ? simplePage("Runlog is starting", settingUpMessage) : simplePage("Runlog is unavailable", unavailableMessage);
  return new NextResponse(page, { status: 503, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}

function isServerActionCall(request: NextRequest): boolean {
  return request.method === "POST" && request.headers.has("next-action");
}

/**
 * A refusal's sentence as text. To a server action called from a page, exactly `text/plain`:
 * Next.js hands only that type to the caller as the error's message, so the page can say nothing
 * was saved, and why (lib/http/reachable-action.ts), rather than only that Runlog could not be reached.
 */
function plainTextFor(request: NextRequest): string {
  return isServerActionCall(request) ? "text/plain" : "text/plain; charset=utf-8";
}

const crossSiteApiMessage = "Runlog's API takes changes made with a signed-in session only from Runlog's own pages; from another site, send an API token (Authorization: Bearer …).";

/** Next.js refuses a server action's body over 1 MB (its default) with a 500; this answers first. */
const actionBodyLimitBytes = 1024 * 1024;

/** A POST to a page (a server action or a form) whose body is declared larger than Next.js accepts. */
function isOversizedFormPost(request: NextRequest): boolean {
  if (request.method !== "POST" || request.nextUrl.pathname.startsWith("/api/")) return false;
  return Number(request.headers.get("content-length") ?? 0) > actionBodyLimitBytes;
}

/**
 * A POST to a page (a server action, or a form without JavaScript), or a change through the API
 * that rides on the session cookie (no API token), whose Origin header names another host than
 * the one it was sent to, compared as Next.js compares them (the first X-Forwarded-Host, else
 * Host). The session cookie is SameSite=Lax, which another site's requests do not carry, but a
 * sibling subdomain's do.
 */
function isCrossSitePost(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  const isApi = request.nextUrl.pathname.startsWith("/api/");
  const isChange = isApi ? !["GET", "HEAD", "OPTIONS"].includes(request.method) : request.method === "POST";
  if (!isChange || origin === null || (isApi && request.headers.has("authorization"))) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  return originHost !== host;
}

const malformedAddressMessage = "This address has a broken %-escape (a % must be followed by two hexadecimal digits that spell UTF-8 text); check the link and try again.";

function hasMalformedEscape(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** A page of its own: no React, no database. */
function simplePage(title: string, message: string, link = { href: "", label: "Try again" }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; color: #0f172a; max-width: 32rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.25rem">${title}</h1>
<p>${message}</p>
<p><a href="${link.href}" style="color: #0369a1">${link.label}</a></p>
</body></html>`;
}

export const config = {
  // Not the build's static files: they need no database.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
