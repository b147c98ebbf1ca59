import { decode } from "next-auth/jwt";

export type SessionClaims = { sub?: unknown; sessionVersion?: unknown };

type Cookie = { name: string; value: string };

/** next-auth's session cookie: its `__Secure-` name when the app's address is https. */
export function sessionCookieName(isHttps: boolean): string {
  return `${isHttps ? "__Secure-" : ""}next-auth.session-token`;
}

/**
 * Whether next-auth gives this request's cookies their https names: by NEXTAUTH_URL when set,
 * else (the host is trusted, lib/auth/options.ts) https unless the request came in over http.
 */
export function usesSecureCookies(forwardedProto: string | null): boolean {
  const origin = process.env.NEXTAUTH_URL || (forwardedProto === "http" ? "http:" : "https:");
  return origin.startsWith("https:");
}

/**
 * The claims of a session cookie as next-auth's own session check reads them: the cookie's
 * chunks (`name`, `name.1`, … for a long token) joined in order, decrypted with the auth secret,
 * expiry checked. Null for no cookie, a forged or expired one, or one sealed with another secret.
 * Pages call this instead of next-auth's `getServerSession`, which also builds its whole
 * configuration and seals a renewed cookie that a page cannot set: three times the work on every
 * page (bench/README.md, "What every page pays").
 */
export async function sessionClaimsOf(cookies: Cookie[], name: string, secret: string): Promise<SessionClaims | null> {
  const chunks = cookies.filter((cookie) => cookie.name === name || cookie.name.startsWith(`${name}.`));
  if (chunks.length === 0) return null;
  const order = (cookie: Cookie) => (cookie.name === name ? 0 : Number(cookie.name.slice(name.length + 1)) || 0);
  const token = chunks.sort((a, b) => order(a) - order(b)).map((cookie) => cookie.value).join("");
  try {
    return await decode({ token, secret });
  } catch {
    return null;
  }
}
