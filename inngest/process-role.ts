/**
 * What this process does (RUNLOG_ROLE): `all` (the default: `npm run dev`, the embedded
 * database) serves pages and runs agents and the scheduled functions in-process; `web` only
 * serves, and tells runner processes of queued runs through the database; `runner` only runs
 * agents and the scheduled functions. `npm start` on PostgreSQL starts web processes and one
 * runner (scripts/start.mjs), so a run's work never competes with pages on one event loop.
 */
export type ProcessRole = "all" | "web" | "runner";

export function processRole(env: Record<string, string | undefined> = process.env): ProcessRole {
  const role = env.RUNLOG_ROLE;
  return role === "web" || role === "runner" ? role : "all";
}
