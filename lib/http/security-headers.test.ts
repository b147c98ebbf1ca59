import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

describe("security headers", () => {
  it("allows scripts only with the nonce or from this origin, and no framing", () => {
    const nonce = newNonce();
    expect(newNonce()).not.toBe(nonce);
    const policy = contentSecurityPolicy(nonce, false);
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}';`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it("sends no referrer from a share page, and keeps share pages and the API out of every cache", () => {
    const share = securityHeaders({ pathname: "/s/abc", isHttps: true }, "csp");
    expect(share).toMatchObject({ "Referrer-Policy": "same-origin", "Cache-Control": "private, no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff" });
    expect(share["Strict-Transport-Security"]).toMatch(/^max-age=/);
    const page = securityHeaders({ pathname: "/executions", isHttps: false }, "csp");
    expect(page["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(page["Cache-Control"]).toBeUndefined();
    expect(page["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ pathname: "/api/executions", isHttps: false }, "csp")["Cache-Control"]).toBe("private, no-store");
  });
});
