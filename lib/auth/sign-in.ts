import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { failure, type Outcome } from "@/lib/outcome";
import { clearAttempts, isOverLimit, recordFailedAttempt } from "@/lib/rate-limits/attempts";
import { verifyPassword } from "./passwords";

const signInInput = z.object({
  email: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200, "That password is too long."),
});

const perAccount = { limit: 5, windowMs: 15 * 60_000 };
const perAddress = { limit: 20, windowMs: 15 * 60_000 };

/** A bcrypt hash (cost 10, like real ones) of a random password nobody knows. */
const timingDummyHash = "$2b$10$MJNGKSiWUdyy5AQIHO6En.xs0bfJgzV4FrNspdVPbbVS//GFyKqMy";

export const wrongCredentialsMessage = "Wrong email or password.";
export const tooManyAttemptsMessage = "Too many failed sign-ins. Wait 15 minutes and try again.";

/**
 * Checks an email and password. After 5 wrong passwords for one account, or 20 from one
 * address, in 15 minutes, sign-in is refused even with the right password until the
 * window has passed.
 */
export async function authenticate(
  raw: unknown,
  ipAddress: string,
): Promise<Outcome<{ user: { id: string; email: string; name: string; sessionVersion: number } }>> {
  const parsed = signInInput.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", parsed.error.issues[0]?.message ?? wrongCredentialsMessage);
  const { email, password } = parsed.data;
  const accountKey = `sign-in:account:${email}`;
  const addressKey = `sign-in:address:${ipAddress}`;
  if ((await isOverLimit(accountKey, perAccount)) || (await isOverLimit(addressKey, perAddress))) {
    return failure("rate_limited", tooManyAttemptsMessage);
  }
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  // An unknown email (or an account without a password) costs the same bcrypt comparison as a
  // known one, so how long the answer takes tells nobody which emails have accounts.
  const isMatch = await verifyPassword(password, user?.passwordHash ?? timingDummyHash);
  if (!user?.passwordHash || !isMatch) {
    await recordFailedAttempt(accountKey);
    await recordFailedAttempt(addressKey);
    return failure("unauthorized", wrongCredentialsMessage);
  }
  await clearAttempts(accountKey);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
