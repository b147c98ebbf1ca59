/**
 * Where a webhook may deliver: http(s) URLs whose host resolves only to public addresses, so a
 * webhook cannot be pointed at the app's own network (loopback, private ranges, link-local and
 * the cloud metadata address, carrier-grade NAT, multicast) — unless the workspace's admin
 * allowed private addresses. The address checked is the one connected to (deliveries pin it),
 * so a name that resolves differently a moment later changes nothing.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { failure, type Outcome } from "@/lib/outcome";

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96]] as const) blocked.addSubnet(network, prefix, "ipv6");

/** True for an address a webhook must not reach without the admin's leave. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The URL's form: http or https, a host, no credentials in it. */
export function parseWebhookUrl(raw: string): Outcome<{ url: URL }> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return failure("invalid_input", "Enter the endpoint's full URL, like https://hooks.example.com/runlog.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return failure("invalid_input", "A webhook URL starts with https:// (or http://).");
  if (url.username || url.password) return failure("invalid_input", "Leave credentials out of the URL; check the signature header instead.");
  if (url.href.length > 2000) return failure("invalid_input", "That URL is longer than 2,000 characters.");
  return { ok: true, url };
}

export type ResolvedTarget = { url: URL; address: string; family: 4 | 6 };

/** Resolves the URL's host and checks every address it has; answers the one to connect to. */
export async function resolveWebhookTarget(raw: string, allowPrivate: boolean): Promise<Outcome<{ target: ResolvedTarget }>> {
  const parsed = parseWebhookUrl(raw);
  if (!parsed.ok) return parsed;
  const host = parsed.url.hostname.replace(/^\[|\]$/g, "");
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  } catch {
    return failure("invalid_input", `The host ${host} could not be found.`);
  }
  if (addresses.length === 0) return failure("invalid_input", `The host ${host} could not be found.`);
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  if (inside && !allowPrivate) {
    return failure("forbidden", `${host} resolves to ${inside.address}, a private, loopback or link-local address; webhooks deliver only to public addresses unless an admin allows private ones under Settings → Webhooks.`);
  }
  const first = addresses[0]!;
  return { ok: true, target: { url: parsed.url, address: first.address, family: first.family === 6 ? 6 : 4 } };
}
