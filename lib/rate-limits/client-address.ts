/**
 * The visitor's address, for the throttles and the share access log. Forwarding headers are
 * anyone's to write, so by default they are ignored and the address is the connection's own,
 * which the server stamps on every request from its socket (lib/http/socket-address.ts), over
 * any copy the client sent. Behind proxies, `TRUSTED_PROXIES` is how many of them stand in front
 * and append to X-Forwarded-For: the address is the entry the outermost one appended (that
 * many from the right); a request that did not pass through all of them gets its socket address.
 */
export const socketAddressHeader = "x-runlog-socket-address";

function trustedProxyHops(): number {
  const hops = Number(process.env.TRUSTED_PROXIES ?? 0);
  return Number.isSafeInteger(hops) && hops > 0 ? hops : 0;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export function clientAddress(headers: HeaderSource): string | null {
  const socket = header(headers, socketAddressHeader) || null;
  const hops = trustedProxyHops();
  if (hops === 0) return socket;
  const chain = (header(headers, "x-forwarded-for") ?? "").split(",").map((hop) => hop.trim()).filter(Boolean);
  return chain.length >= hops ? chain[chain.length - hops]! : socket;
}
