import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getAuthSecret } from "@/lib/auth/secret";

/**
 * Share-link secrets. A token is 256 bits from the operating system's CSPRNG; the database
 * keeps only its SHA-256, so a leaked table opens no link. A right password earns a cookie
 * signed with the app's secret, bound to the link and to its current password.
 */

const tokenBytes = 32;
/** base64url of 32 bytes: 43 characters. */
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(tokenBytes).toString("base64url");
}

export function isWellFormedToken(token: string): boolean {
  return tokenShape.test(token);
}

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** How long a right password keeps a link open in that browser. */
export const unlockedForMs = 12 * 3600_000;

/** One name serves every link: the cookie's path is the link's own address, so each link sees only its own. */
export const linkAccessCookie = "runlog_link_access";

function signature(shareId: string, passwordHash: string, expiresAtMs: number): string {
  return createHmac("sha256", getAuthSecret()).update(`${shareId}.${expiresAtMs}.${passwordHash}`).digest("base64url");
}

export function signLinkAccess(shareId: string, passwordHash: string, now = Date.now()): string {
  const expiresAtMs = now + unlockedForMs;
  return `${expiresAtMs}.${signature(shareId, passwordHash, expiresAtMs)}`;
}

/** A cookie from an earlier right password: unexpired, for this link, and for its current password. */
export function isValidLinkAccess(value: string | undefined, shareId: string, passwordHash: string, now = Date.now()): boolean {
  const [expiresAt, given] = (value ?? "").split(".");
  const expiresAtMs = Number(expiresAt);
  if (!given || !Number.isSafeInteger(expiresAtMs) || expiresAtMs < now) return false;
  const expected = Buffer.from(signature(shareId, passwordHash, expiresAtMs));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
