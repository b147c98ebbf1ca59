import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getAuthSecret } from "./secret";

/**
 * The device cookie (OWASP's answer to lockouts a stranger can cause): each successful sign-in
 * leaves a long-lived, HttpOnly cookie naming the account, signed with the app's secret. A
 * browser that presents a valid one for the account it signs in to has signed in there before,
 * so the per-account backoff that many addresses together can trigger does not stop it
 * (lib/auth/sign-in.ts); its own wrong passwords count against that cookie alone.
 */
export const deviceCookieName = "runlog_device";
export const deviceCookieMaxAge = 365 * 24 * 3600;

/** What the signature covers besides the value, so no other signed value of the app can pass for one. */
const purpose = "runlog device cookie v1";

function signatureOf(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`${purpose}\n${payload}`).digest("base64url");
}

/** A new device cookie's value for `email` (lower-case, as sign-in reads it): the email, a random device id, the signature. */
export function issueDeviceCookie(email: string, secret = getAuthSecret()): string {
  const payload = `${Buffer.from(email, "utf8").toString("base64url")}.${randomBytes(16).toString("base64url")}`;
  return `${payload}.${signatureOf(payload, secret)}`;
}

/** The device's id when `value` is a cookie this app signed for `email`, else null. */
export function deviceIdFor(value: string | undefined, email: string, secret = getAuthSecret()): string | null {
  const parts = value?.split(".");
  if (!parts || parts.length !== 3) return null;
  const [encodedEmail, deviceId, signature] = parts as [string, string, string];
  const expected = Buffer.from(signatureOf(`${encodedEmail}.${deviceId}`, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(encodedEmail, "base64url").toString("utf8") === email && deviceId ? deviceId : null;
}
