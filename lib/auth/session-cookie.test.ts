import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it } from "vitest";
import { sessionClaimsOf, sessionCookieName, usesSecureCookies } from "./session-cookie";

const secret = "a-secret-of-this-test-only-0123456789";
const claims = { sub: "6f1c3a52-1d7e-4c55-9a0e-2b1c000000aa", sessionVersion: 3 };
/** A session cookie as next-auth's sign-in seals it. */
const sealed = (maxAge = 3600, key = secret) => encode({ token: claims, secret: key, maxAge });

describe("sessionClaimsOf", () => {
  it("reads the person and session version from the cookie next-auth set at sign-in", async () => {
    const cookies = [{ name: "runlog_workspace", value: "x" }, { name: "next-auth.session-token", value: await sealed() }];
    expect(await sessionClaimsOf(cookies, sessionCookieName(false), secret)).toMatchObject(claims);
  });

  it("joins a long token's chunks in their order", async () => {
    const token = await sealed();
    const name = sessionCookieName(true);
    const cookies = [{ name: `${name}.2`, value: token.slice(200) }, { name: `${name}.0`, value: token.slice(0, 100) }, { name: `${name}.1`, value: token.slice(100, 200) }];
    expect(await sessionClaimsOf(cookies, name, secret)).toMatchObject(claims);
  });

  it("is no session for an expired, forged or foreign cookie, or one under the other name", async () => {
    const name = sessionCookieName(false);
    expect(await sessionClaimsOf([{ name, value: await sealed(-60) }], name, secret)).toBeNull();
    expect(await sessionClaimsOf([{ name, value: "garbage.not.a.jwt" }], name, secret)).toBeNull();
    expect(await sessionClaimsOf([{ name, value: await sealed(3600, "another-secret-0123456789abcdef") }], name, secret)).toBeNull();
    expect(await sessionClaimsOf([{ name: sessionCookieName(true), value: await sealed() }], name, secret)).toBeNull();
    expect(await sessionClaimsOf([], name, secret)).toBeNull();
  });
});

describe("usesSecureCookies", () => {
  const configured = process.env.NEXTAUTH_URL;
  afterEach(() => {
    if (configured === undefined) delete process.env.NEXTAUTH_URL;
    else process.env.NEXTAUTH_URL = configured;
  });

  it("follows NEXTAUTH_URL when set, else the protocol the request came in on", () => {
    delete process.env.NEXTAUTH_URL;
    expect(usesSecureCookies("http")).toBe(false);
    expect(usesSecureCookies("https")).toBe(true);
    expect(usesSecureCookies(null)).toBe(true);
    process.env.NEXTAUTH_URL = "https://runlog.example";
    expect(usesSecureCookies("http")).toBe(true);
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    expect(usesSecureCookies("https")).toBe(false);
  });
});
