/** `npm run db:migrate`: applies committed migrations to the configured database. */
import { closeDatabase, databaseConfigFromEnv, getDatabase } from "@/db/client";

const database = await getDatabase();
await database.migrate();
console.log(`Migrated the ${databaseConfigFromEnv().kind === "postgres" ? "PostgreSQL" : "embedded PGlite"} database.`);
await closeDatabase();
