/**
 * Brings the database up to date when the app starts: applies committed migrations and,
 * on an empty database, loads the demo workspace. Safe to call more than once.
 */
import { count } from "drizzle-orm";
import { getDatabase, type OpenDatabase } from "./client";
import { workspaces } from "./schema";

type State = { preparing?: Promise<{ hasSeeded: boolean }>; isReady: boolean };
const state: State = ((globalThis as { __runlogPrepare?: State }).__runlogPrepare ??= { isReady: false });

export function prepareDatabase(): Promise<{ hasSeeded: boolean }> {
  state.preparing ??= run().then(
    (outcome) => {
      state.isReady = true;
      return outcome;
    },
    (error: unknown) => {
      state.preparing = undefined; // let the next caller try again
      throw error;
    },
  );
  return state.preparing;
}

async function run(): Promise<{ hasSeeded: boolean }> {
  const database = await getDatabase();
  return database.whileSettingUp(() => migrateAndSeed(database));
}

async function migrateAndSeed(database: OpenDatabase): Promise<{ hasSeeded: boolean }> {
  await database.migrate();
  const [row] = await database.db.select({ workspaces: count() }).from(workspaces);
  if ((row?.workspaces ?? 0) > 0) return { hasSeeded: false };
  const { seedDemo } = await import("./seed");
  const started = Date.now();
  const summary = await seedDemo(database.db);
  console.log(`Runlog: loaded the demo workspace in ${((Date.now() - started) / 1000).toFixed(1)} s. Sign in with:`);
  for (const login of summary.logins) {
    console.log(`  ${login.email.padEnd(22)} ${login.password}  (${login.role}, ${login.workspace})`);
  }
  return { hasSeeded: true };
}

/** Answers at once; starts (or retries) preparation if it has not finished. */
export function isDatabaseReady(): boolean {
  if (!state.isReady) prepareDatabase().catch((error) => console.error("Runlog: database not ready:", error));
  return state.isReady;
}
