/**
 * Test databases. Migrating and seeding takes seconds, so it is done once per run into a
 * template; every test file then starts from its own copy: a database created from the
 * template on PostgreSQL (`TEST_DATABASE_URL`), or an in-memory PGlite loaded from a dump.
 */
import postgres from "postgres";

export const templateDatabaseName = "runlog_t_template";
export const testDatabasePrefix = "runlog_t_";

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
