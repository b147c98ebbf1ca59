import { afterEach, describe, expect, it } from "vitest";
import { clientAddress, socketAddressHeader } from "./client-address";

const request = (headers: Record<string, string>) => new Headers(headers);

afterEach(() => {
  delete process.env.TRUSTED_PROXIES;
});

describe("the visitor's address", () => {
  it("is the connection's own by default, whatever forwarding headers the client sends", () => {
    const sent = request({ [socketAddressHeader]: "203.0.113.7", "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2" });
    expect(clientAddress(sent)).toBe("203.0.113.7");
    expect(clientAddress(request({ "x-forwarded-for": "198.51.100.1" }))).toBeNull();
  });

  it("behind TRUSTED_PROXIES proxies, is the entry the outermost one appended, not what the client wrote before it", () => {
    process.env.TRUSTED_PROXIES = "1";
    // The client wrote 1.2.3.4 itself; the proxy appended the address it saw.
    expect(clientAddress(request({ [socketAddressHeader]: "10.0.0.5", "x-forwarded-for": "1.2.3.4, 203.0.113.7" }))).toBe("203.0.113.7");
    process.env.TRUSTED_PROXIES = "2";
    expect(clientAddress(request({ [socketAddressHeader]: "10.0.0.5", "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.9" }))).toBe("203.0.113.7");
    // A request that skipped the proxies gets its socket address.
    expect(clientAddress(request({ [socketAddressHeader]: "10.0.0.5", "x-forwarded-for": "1.2.3.4" }))).toBe("10.0.0.5");
    // The shape next-auth hands sign-in.
    expect(clientAddress({ [socketAddressHeader]: "10.0.0.5", "x-forwarded-for": "1.2.3.4, 203.0.113.8, 10.0.0.9" })).toBe("203.0.113.8");
  });
});
