/** `npm run db:migrate`: applies committed migrations to the configured database. */
import { closeDatabase, databaseConfigFromEnv, getDatabase } from "@/db/client";

async function main() {
  const database = await getDatabase();
  await database.migrate();
  console.log(`Migrated the ${databaseConfigFromEnv().kind === "postgres" ? "PostgreSQL" : "embedded PGlite"} database.`);
  await closeDatabase();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
