/**
 * Test databases. Migrating and seeding takes seconds, so it is done once per run into a
 * template; every test file then starts from its own copy: a database created from the
 * template on PostgreSQL (`TEST_DATABASE_URL`), or an in-memory PGlite loaded from a dump.
 */
import postgres from "postgres";

/**
 * Each run's databases carry the id of the process that runs it, so runs side by side never
 * drop each other's databases; leftovers of runs whose process is gone are dropped.
 */
export const testDatabasePrefix = "runlog_t_";

export function runPrefix(pid: number): string {
  return `${testDatabasePrefix}${pid}_`;
}

export function templateDatabaseName(pid: number): string {
  return `${runPrefix(pid)}template`;
}

export function isLeftover(databaseName: string): boolean {
  const pid = Number(/^runlog_t_(\d+)_/.exec(databaseName)?.[1]);
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A connection to the server's maintenance database, for CREATE/DROP DATABASE. */
export function adminConnection(url: string) {
  return postgres(url, { max: 1, onnotice: () => {} });
}
