import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { failure, type Outcome } from "@/lib/outcome";
import { clearAttempts, countAttempt, countAttemptAsFailed, uncountAttempt, type AttemptWindow } from "@/lib/rate-limits/attempts";
import { deviceIdFor, issueDeviceCookie } from "./device-cookie";
import { verifyPassword } from "./passwords";

const signInInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200, "That password is too long."),
});

/** Wrong passwords for one account from one address: the owner elsewhere is not locked out by a stranger's guesses. */
const perAccountAndAddress = { limit: 5, windowMs: 15 * 60_000 };
/** Guesses from one address across accounts. */
const perAddress = { limit: 20, windowMs: 15 * 60_000 };
/** Guesses at one account from every address together: a longer backoff for a spread-out attack. */
const perAccount = { limit: 50, windowMs: 60 * 60_000 };
/** Wrong passwords from one browser that signed in to the account before (its device cookie), which the backoff above does not stop. */
const perDevice = { limit: 10, windowMs: 60 * 60_000 };

/** A bcrypt hash (cost 10, like real ones) of a random password nobody knows. */
const timingDummyHash = "$2b$10$MJNGKSiWUdyy5AQIHO6En.xs0bfJgzV4FrNspdVPbbVS//GFyKqMy";

export const wrongCredentialsMessage = "Wrong email or password.";
export const tooManyAttemptsMessage = "Too many failed sign-ins. Wait 15 minutes and try again.";
const busyMessage = "Many sign-ins from your address are being checked right now; try again in a moment.";

type SignedIn = { user: { id: string; email: string; name: string; sessionVersion: number }; deviceCookie: string };
type PasswordAttempt = { email: string; password: string; ipAddress: string; deviceCookie: string | undefined };

/**
 * Checks an email and password. After 5 wrong passwords for one account from one address, or
 * 20 from one address, in 15 minutes, that address is refused even with the right password
 * until the window has passed; the owner at another address still gets in. After 50 wrong
 * passwords for one account from all addresses in an hour, the account waits out the hour —
 * except in a browser that presents a valid device cookie for it (`deviceCookie`, left by an
 * earlier sign-in; lib/auth/device-cookie.ts), whose wrong passwords count against that cookie
 * alone (10 an hour, then it is treated as absent). A success hands back a fresh device cookie.
 */
export async function authenticate(raw: unknown, ipAddress: string, deviceCookie?: string): Promise<Outcome<SignedIn>> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]?.message ?? wrongCredentialsMessage);
  const checked = await checkPassword({ ...parsed.data, ipAddress, deviceCookie });
  if (!checked.ok) return checked;
  const { user } = checked;
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion }, deviceCookie: issueDeviceCookie(user.email) };
}

/**
 * The password check behind sign-in and every other place that asks for a person's password
 * (changing it): the same throttles, the same counts, the same equal time for unknown emails.
 */
export async function checkPassword({ email, password, ipAddress, deviceCookie }: PasswordAttempt): Promise<Outcome<{ user: typeof users.$inferSelect }>> {
  const accountKey = `sign-in:account:${email}`;
  const pairKey = `sign-in:pair:${email}:${ipAddress}`;
  const addressKey = `sign-in:address:${ipAddress}`;
  const deviceId = deviceIdFor(deviceCookie, email);
  const deviceKey = deviceId ? `sign-in:device:${deviceId}` : null;
  // Each try is counted before it is checked, one limit after another (always in this order,
  // so tries waiting on each other never wait in a circle), and a burst gets no more checks than
  // the limits allow. A try refused by a limit is not counted by the ones after it: one address
  // cannot run up an account's count.
  const counted: number[] = [];
  const refused = { isBusy: false };
  const isWithin = async (key: string, window: AttemptWindow) => {
    const attempt = await countAttempt(key, window);
    counted.push(attempt.hitId);
    if (!attempt.isAdmitted && attempt.reason === "busy") refused.isBusy = true;
    return attempt.isAdmitted;
  };
  const isKnownDevice = async () => deviceKey !== null && (await isWithin(deviceKey, perDevice));
  let isRight = false;
  try {
    if (!(await isWithin(pairKey, perAccountAndAddress)) || !(await isWithin(addressKey, perAddress)) || !((await isKnownDevice()) || (await isWithin(accountKey, perAccount)))) {
      return failure("rate_limited", refused.isBusy ? busyMessage : tooManyAttemptsMessage);
    }
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
    // An unknown email (or an account without a password) costs the same bcrypt comparison as a
    // known one, so how long the answer takes tells nobody which emails have accounts.
    const isMatch = await verifyPassword(password, user?.passwordHash ?? timingDummyHash);
    if (!user?.passwordHash || !isMatch) return failure("unauthorized", wrongCredentialsMessage);
    isRight = true;
    await clearAttempts(pairKey);
    for (const hitId of counted) await uncountAttempt(hitId);
    return { ok: true, user };
  } finally {
    if (!isRight) for (const hitId of counted) await countAttemptAsFailed(hitId);
  }
}
