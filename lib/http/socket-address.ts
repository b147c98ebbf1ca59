import http from "node:http";
import { socketAddressHeader } from "@/lib/rate-limits/client-address";

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

/**
 * Stamps every HTTP request this process serves with the address of its connection
 * (`x-runlog-socket-address`), replacing any value the client sent, so the app can read an
 * address no client chooses: Next.js hands route handlers and pages the request's headers but
 * not its socket. Installed once at startup (instrumentation.ts), whatever started the server
 * (`next dev`, `next start`, npm start's web processes).
 */
export function stampSocketAddresses(): void {
  const server = http.Server.prototype as unknown as { emit: Emit; runlogStamped?: boolean };
  if (server.runlogStamped) return;
  server.runlogStamped = true;
  const emit = server.emit;
  server.emit = function (event, ...args) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      const address = request.socket?.remoteAddress;
      if (address) request.headers[socketAddressHeader] = address.replace(/^::ffff:/, "");
      else delete request.headers[socketAddressHeader];
    }
    return emit.call(this, event, ...args);
  };
}
