/**
 * Whether an error means the database could not be reached or dropped the connection (as
 * opposed to refusing a statement): the caller may try again in a moment. Drizzle wraps a
 * driver's error as its `cause`, so the whole chain is read.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (driverCodes.has(code)) return true;
    // SQLSTATE class 08 (connection exception) and the server shutting down or not yet up.
    if (/^08[0-9A-Z]{3}$/.test(code) || code === "57P01" || code === "57P02" || code === "57P03") return true;
  }
  return false;
}

/** postgres.js's own codes for a connection it lost, and the socket errors under them. */
const driverCodes = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
