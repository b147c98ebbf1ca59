import { describe, expect, it } from "vitest";
import { demoPassword } from "@/db/seed";
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

