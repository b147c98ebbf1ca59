/**
 * Whether an error means the database could not be reached or dropped the connection (as
 * opposed to refusing a statement): the caller may try again in a moment. Reads are retried
 * once on a fresh connection (db/client.ts), engine steps with backoff, and what still fails
 * answers 503 (lib/unexpected-failure.ts). Drizzle wraps a driver's error as its `cause`, so
 * the whole chain is read.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (driverCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code) || serverStates.has(code))) return true;
    const message = (current as { message?: unknown }).message;
    // postgres.js 3.4.9 can write to a socket it has already dropped.
    if (current instanceof TypeError && /^Cannot read properties of (null|undefined) \(reading '(write|cork|uncork|end)'\)$/.test(current.message)) return true;
    // PGlite, used after it was closed.
    if (message === "PGlite is closed") return true;
  }
  return false;
}

/** postgres.js's own codes for a connection it lost, and the socket errors under them. */
const driverCodes = new Set([
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EAI_AGAIN",
]);
/**
 * SQLSTATEs besides class 08 (connection exception): the server shutting down, crashed or not
 * yet up (57P01 is what pg_terminate_backend sends), and no connection slot left (53300).
 */
const serverStates = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * Whether the database is unreachable: `suspect` after a connection error while a probe on a
 * fresh connection checks, `down` once the probe failed too, until a query or probe gets
 * through. Kept on globalThis so the proxy (proxy.ts), routes and pages of one process share it.
 */
type Reachability = { state: "up" | "suspect" | "down"; since?: number; isAwaitingSetup?: boolean; isSettingUp?: boolean };
const reachability: Reachability = ((globalThis as { __runlogReachability?: Reachability }).__runlogReachability ??= { state: "up" });

/**
 * Down, or not yet migrated and seeded by a process that started without it (see
 * `markAwaitingSetup`), or being migrated and seeded now (`markSettingUp`).
 */
export function isDatabaseUnreachable(): boolean {
  return reachability.state === "down" || reachability.isAwaitingSetup === true || reachability.isSettingUp === true;
}

/**
 * Set while this process migrates the database and, on an empty one, loads the demo workspace
 * (a first start takes about a minute): pages answer 503 saying so, at once, instead of
 * waiting for it.
 */
export function markSettingUp(isSettingUp: boolean): void {
  reachability.isSettingUp = isSettingUp;
}

export function isDatabaseSettingUp(): boolean {
  return reachability.isSettingUp === true && reachability.state !== "down";
}

/**
 * Set while a process that started before its database was there waits to migrate and seed it
 * (db/prepare.ts): pages answer 503 until it has, even once the database answers queries.
 */
export function markAwaitingSetup(isAwaiting: boolean): void {
  reachability.isAwaitingSetup = isAwaiting;
}

export function markDatabaseSuspect(): void {
  if (reachability.state === "up") Object.assign(reachability, { state: "suspect", since: Date.now() });
}

export function markDatabaseDown(): void {
  if (reachability.state !== "down") Object.assign(reachability, { state: "down", since: reachability.since ?? Date.now() });
}

export function markDatabaseUp(): void {
  if (reachability.state !== "up") Object.assign(reachability, { state: "up", since: undefined });
}
