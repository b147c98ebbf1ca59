import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { demoPassword } from "@/db/seed";
import { hashPassword } from "./passwords";
import { deviceIdFor, issueDeviceCookie } from "./device-cookie";
import { authenticate, tooManyAttemptsMessage, wrongCredentialsMessage } from "./sign-in";

describe("signing in with email and password", () => {
  it("accepts the right password, whatever the email's case and spacing", async () => {
    const result = await authenticate({ email: "  Admin@Acme.test ", password: demoPassword }, "10.0.0.1");
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.user.email).toBe("admin@acme.test");
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    const wrong = await authenticate({ email: "sam@acme.test", password: "nope" }, "10.0.0.2");
    const unknown = await authenticate({ email: "nobody@acme.test", password: "nope" }, "10.0.0.2");
    expect(wrong).toEqual({ ok: false, code: "unauthorized", message: wrongCredentialsMessage });
    expect(unknown).toEqual({ ok: false, code: "unauthorized", message: wrongCredentialsMessage });
  });

  it("explains malformed input instead of failing", async () => {
    expect(await authenticate({ email: "not an email", password: "x" }, "10.0.0.3")).toMatchObject({ ok: false, code: "invalid_input", message: "Enter a valid email address." });
    expect(await authenticate({ email: "lee@acme.test", password: "" }, "10.0.0.3")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await authenticate({ email: "lee@acme.test", password: "x".repeat(10_000) }, "10.0.0.3")).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await authenticate(null, "10.0.0.3")).toMatchObject({ ok: false, code: "invalid_input" });
  });

  it("locks an account to one address for 15 minutes after 5 wrong passwords from it, and lets the owner in from elsewhere", async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await authenticate({ email: "lee@acme.test", password: `guess-${attempt}` }, "10.1.0.1")).ok).toBe(false);
    }
    const locked = await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.1.0.1");
    expect(locked).toEqual({ ok: false, code: "rate_limited", message: tooManyAttemptsMessage });
    // The stranger's guesses do not lock the owner out at their own address.
    expect((await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.1.0.99")).ok).toBe(true);
    expect((await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.1.0.1")).ok).toBe(true);
  });

  it("slows down one address guessing across many accounts", async () => {
    const emails = ["a", "b", "c", "d", "e", "f", "g"].map((x) => `${x}@nowhere.test`);
    for (let i = 0; i < 20; i++) await authenticate({ email: emails[i % emails.length], password: "guess" }, "10.9.9.9");
    expect(await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.9.9.9")).toMatchObject({ code: "rate_limited" });
    expect((await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.9.9.10")).ok).toBe(true);
  });

  it("gives a burst of guesses sent at once no more checks than the limits allow", async () => {
    const fromOneAddress = await Promise.all(Array.from({ length: 40 }, (_, n) => authenticate({ email: "sam@acme.test", password: `burst-${n}` }, "10.2.0.1")));
    expect(fromOneAddress.filter((answer) => !answer.ok && answer.code === "unauthorized").length).toBeLessThanOrEqual(5);
    expect(fromOneAddress.filter((answer) => !answer.ok && answer.code === "rate_limited").length).toBeGreaterThanOrEqual(35);
    // Spread over 70 addresses, the account's own limit of 50 holds the same way.
    const spread = await Promise.all(Array.from({ length: 70 }, (_, n) => authenticate({ email: "pat@globex.test", password: `burst-${n}` }, `10.3.${Math.floor(n / 2)}.${n % 2}`)));
    expect(spread.filter((answer) => !answer.ok && answer.code === "unauthorized").length).toBeLessThanOrEqual(50);
    expect(spread.filter((answer) => !answer.ok && answer.code === "rate_limited").length).toBeGreaterThanOrEqual(20);
  }, 120_000);

  it("lets 30 people at one address sign in at once with their right passwords", async () => {
    // An office behind one address, everyone signing in at nine: none of them guessed wrong.
    const db = await getDb();
    const passwordHash = await hashPassword("office-password");
    const people = await db.insert(users).values(Array.from({ length: 30 }, (_, n) => ({ email: `office-${n}@acme.test`, name: `Office ${n}`, passwordHash }))).returning({ email: users.email });
    const answers = await Promise.all(people.map(({ email }) => authenticate({ email, password: "office-password" }, "10.8.0.1")));
    expect(answers.filter((answer) => !answer.ok)).toEqual([]);
    // Their sign-ins used up nothing: wrong guesses from that address still get their 20 checks.
    const guesses = await Promise.all(Array.from({ length: 25 }, (_, n) => authenticate({ email: `nobody-${n}@acme.test`, password: "guess" }, "10.8.0.1")));
    expect(guesses.filter((answer) => !answer.ok && answer.code === "unauthorized").length).toBe(20);
    expect(guesses.filter((answer) => !answer.ok && answer.code === "rate_limited").length).toBe(5);
  }, 120_000);

  it("does not count right passwords against the limits", async () => {
    for (let n = 0; n < 25; n++) expect((await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.2.1.1")).ok).toBe(true);
  }, 120_000);

  it("takes as long to refuse an unknown email as a known one with a wrong password", async () => {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const timed = async (email: string, address: string) => {
      const started = performance.now();
      const refused = await authenticate({ email, password: "not-the-password" }, address);
      expect(refused).toMatchObject({ ok: false, code: "unauthorized" });
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Gina's account is used by no other test here; three wrong passwords stay under its lockout.
    for (let round = 0; round < 3; round++) {
      known.push(await timed("gina@globex.test", `10.7.0.${round}`));
      unknown.push(await timed(`nobody-${round}@globex.test`, `10.7.1.${round}`));
    }
    // Both compare a bcrypt hash of cost 10 (tens of milliseconds); without the dummy hash an unknown email answered in a fraction of that.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
  });
});

describe("the device cookie: a way in for the real owner under the account's backoff", () => {
  it("is signed for one account: another account, a changed email, id or signature, or another secret make it worthless", () => {
    const cookie = issueDeviceCookie("lee@acme.test", "secret-one");
    expect(deviceIdFor(cookie, "lee@acme.test", "secret-one")).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(deviceIdFor(cookie, "sam@acme.test", "secret-one")).toBeNull();
    expect(deviceIdFor(cookie, "lee@acme.test", "secret-two")).toBeNull();
    const [email, id, signature] = cookie.split(".") as [string, string, string];
    expect(deviceIdFor(`${Buffer.from("sam@acme.test").toString("base64url")}.${id}.${signature}`, "sam@acme.test", "secret-one")).toBeNull();
    expect(deviceIdFor(`${email}.${id}x.${signature}`, "lee@acme.test", "secret-one")).toBeNull();
    expect(deviceIdFor(`${email}.${id}.${signature.slice(0, -1)}`, "lee@acme.test", "secret-one")).toBeNull();
    for (const junk of [undefined, "", "a.b", "a.b.c.d", "..."]) expect(deviceIdFor(junk, "lee@acme.test", "secret-one")).toBeNull();
  });

  it("lets the owner with a device cookie in after a stranger's 50 wrong passwords from many addresses, and stops a sign-in without one", async () => {
    // The owner signed in here before: the answer left a device cookie.
    const earlier = await authenticate({ email: "admin@globex.test", password: demoPassword }, "10.5.0.1");
    if (!earlier.ok) throw new Error(earlier.message);
    for (let attempt = 0; attempt < 50; attempt++) {
      expect(await authenticate({ email: "admin@globex.test", password: `guess-${attempt}` }, `10.6.${Math.floor(attempt / 4)}.${attempt % 4}`)).toMatchObject({ code: "unauthorized" });
    }
    // Without the cookie, from a fresh address, even the right password waits out the hour.
    expect(await authenticate({ email: "admin@globex.test", password: demoPassword }, "10.5.0.2")).toEqual({ ok: false, code: "rate_limited", message: tooManyAttemptsMessage });
    // A device cookie of another account (the stranger's own) does not help.
    const strangers = await authenticate({ email: "maya@acme.test", password: demoPassword }, "10.5.0.3");
    if (!strangers.ok) throw new Error(strangers.message);
    expect(await authenticate({ email: "admin@globex.test", password: demoPassword }, "10.5.0.3", strangers.deviceCookie)).toMatchObject({ code: "rate_limited" });
    // The owner's browser gets in.
    expect(await authenticate({ email: "admin@globex.test", password: demoPassword }, "10.5.0.1", earlier.deviceCookie)).toMatchObject({ ok: true });
  }, 240_000);

  it("counts wrong passwords with a device cookie against that cookie alone, which stops letting its holder past the backoff after 10", async () => {
    const earlier = await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.4.0.1");
    if (!earlier.ok) throw new Error(earlier.message);
    for (let attempt = 0; attempt < 50; attempt++) await authenticate({ email: "lee@acme.test", password: `guess-${attempt}` }, `10.4.1.${attempt}`);
    expect(await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.4.0.2", earlier.deviceCookie)).toMatchObject({ ok: true });
    // Spread over addresses so the per-address limits stay out of it.
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(await authenticate({ email: "lee@acme.test", password: `again-${attempt}` }, `10.4.2.${attempt}`, earlier.deviceCookie)).toMatchObject({ code: "unauthorized" });
    }
    expect(await authenticate({ email: "lee@acme.test", password: demoPassword }, "10.4.0.3", earlier.deviceCookie)).toMatchObject({ code: "rate_limited" });
  }, 240_000);
});
