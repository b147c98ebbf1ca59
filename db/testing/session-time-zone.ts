import { sql } from "drizzle-orm";
import { closeDatabase, getDatabase, getDb, installDatabase, openDatabase } from "@/db/client";

/**
 * Makes every later query of this test file run in `zone` (the database session's time zone),
 * as a server configured for another zone would: set on the file's database, so the
 * PostgreSQL client is reopened to take it on every connection; PGlite has one session.
 */
export async function useSessionTimeZone(zone: string): Promise<void> {
  const db = await getDb();
  if ((await getDatabase()).kind === "pglite") {
    await db.execute(sql`select set_config('TimeZone', ${zone}, false)`);
    return;
  }
  await db.execute(sql.raw(`do $$ begin execute format('alter database %I set timezone to %L', current_database(), '${zone.replace(/'/g, "''")}'); end $$`));
  await closeDatabase();
  installDatabase(await openDatabase({ kind: "postgres", url: process.env.RUNLOG_TEST_DATABASE_URL!, maxConnections: 20 }));
}
