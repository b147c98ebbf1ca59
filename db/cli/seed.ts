/**
 * `npm run db:seed`: loads the demo workspace into an empty database.
 * `npm run db:seed -- --reset` first drops everything in it (asks nothing: it is for demo
 * and development databases only).
 */
import { sql } from "drizzle-orm";
import { closeDatabase, getDatabase } from "@/db/client";
import { prepareDatabase } from "@/db/prepare";

async function main() {
  const isReset = process.argv.includes("--reset");
  const database = await getDatabase();
  if (isReset) {
    await database.db.execute(sql`drop schema if exists drizzle cascade`);
    await database.db.execute(sql`drop schema public cascade`);
    await database.db.execute(sql`create schema public`);
    console.log("Dropped all tables.");
  }
  const { hasSeeded } = await prepareDatabase();
  if (!hasSeeded) console.log("The database already holds a workspace; nothing seeded. Use `npm run db:seed -- --reset` to start over.");
  await closeDatabase();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
