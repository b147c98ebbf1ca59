/**
 * The security headers every answer carries, set once by proxy.ts:
 * - a Content-Security-Policy whose scripts run only with this request's nonce (Next.js reads
 *   it from the request's own CSP header and puts it on its scripts) or from files of this origin, never
 *   inline ones an attacker wrote into a page; no page of another site may frame Runlog;
 * - X-Frame-Options for browsers without frame-ancestors, and nosniff;
 * - Referrer-Policy: a share page's address carries its token, so it sends a referrer only to
 *   Runlog itself (same-origin); elsewhere only the origin leaves the site;
 * - Cache-Control: private, no-store on share pages and on the API (JSON, CSV, PDF), so no
 *   shared cache or back button keeps what a signed-in person or a link holder read;
 * - Strict-Transport-Security when the request came over https.
 */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, isDevelopment: boolean): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code to show better errors; production never does.
    // Not 'strict-dynamic': it would ignore 'self', and the static API reference (/api/docs)
    // loads its scripts from this origin without a nonce.
    `script-src 'self' 'nonce-${nonce}'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    // Charts and components set style attributes; styles run no code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

type Where = { pathname: string; isHttps: boolean };

export function securityHeaders({ pathname, isHttps }: Where, csp: string): Record<string, string> {
  const isSharePage = pathname === "/s" || pathname.startsWith("/s/");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    // A link's address holds its token: it never goes to another site, but it may go to Runlog
    // itself, so a form posted before the page's script ran (no JavaScript, a slow phone) says
    // where it came from; with no-referrer the browser sends "Origin: null" and it was refused.
    "Referrer-Policy": isSharePage ? "same-origin" : "strict-origin-when-cross-origin",
  };
  if (isSharePage || pathname.startsWith("/api/")) headers["Cache-Control"] = "private, no-store";
  if (isHttps) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
