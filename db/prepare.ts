/**
 * Brings the database up to date when the app starts: applies committed migrations and,
 * on an empty database, loads the demo workspace. Safe to call more than once.
 */
import { count } from "drizzle-orm";
import { getDatabase, type OpenDatabase } from "./client";
import { isConnectionError, markAwaitingSetup, markSettingUp } from "./connection-errors";
import { sqlStateOf } from "./constraint-errors";
import { workspaces } from "./schema";

type State = { preparing?: Promise<{ hasSeeded: boolean }>; isReady: boolean };
const state: State = ((globalThis as { __runlogPrepare?: State }).__runlogPrepare ??= { isReady: false });

export function prepareDatabase(): Promise<{ hasSeeded: boolean }> {
  state.preparing ??= run().then(
    (outcome) => {
      state.isReady = true;
      markAwaitingSetup(false);
      markSettingUp(false);
      return outcome;
    },
    (error: unknown) => {
      state.preparing = undefined; // let the next caller try again
      markSettingUp(false);
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
  if (!state.isReady) {
    prepareDatabase().catch((error: unknown) => {
      // prepareAtStart says once that the database is not there yet.
      if (!isNotThereYet(error)) console.error("Runlog: database not ready:", error);
    });
  }
  return state.isReady;
}

/** Waits between attempts while the database is not there yet: 1 s, 2 s, then every 5 s. */
const retryDelaysMs = [1_000, 2_000, 5_000];

/**
 * For a process's start (instrumentation.ts, the runner): prepares the database, then calls
 * `onPrepared`. A database that is not there yet (its server down or still starting, the
 * database or its role not yet created) does not stop the process, whose every request would otherwise
 * answer 500 until someone restarted it: pages and the API answer 503 and /api/health
 * "starting", and preparation is tried again until it succeeds; then `onPrepared` runs. Any
 * other failure (a migration that fails, a PGlite folder in use) is thrown as before.
 * `waits: false` returns as soon as the first attempt found the database missing, or once it
 * has taken a second (migrating, or loading the demo workspace into an empty database), so a
 * web process serves its 503s meanwhile rather than leave every request waiting; a failure
 * after that still stops the process. `waits: true` returns once prepared.
 */
export async function prepareAtStart({ waits, onPrepared }: { waits: boolean; onPrepared?: () => Promise<void> | void }): Promise<void> {
  const firstAttempt = prepareDatabase().then(() => null, (error: unknown) => error);
  const isTakingLong = !waits && (await Promise.race([firstAttempt.then(() => false), delay(quickSetupMs).then(() => true)]));
  if (!isTakingLong) return afterFirstAttempt(await firstAttempt, { waits, onPrepared });
  if (!state.isReady) markSettingUp(true); // cleared when preparation succeeds or fails
  console.log("Runlog: setting up the database (migrations, and the demo workspace on an empty one); pages answer 503 until it is ready.");
  firstAttempt
    .then((error) => afterFirstAttempt(error, { waits, onPrepared }))
    .catch((error: unknown) => {
      console.error("Runlog could not start:", error);
      process.exit(1);
    });
}

/** How long a web process's start waits for preparation before it serves 503s meanwhile. */
const quickSetupMs = 1_000;

async function afterFirstAttempt(firstError: unknown, { waits, onPrepared }: { waits: boolean; onPrepared?: () => Promise<void> | void }): Promise<void> {
  if (firstError === null) return void (await onPrepared?.());
  if (!isNotThereYet(firstError)) throw firstError;
  markAwaitingSetup(true);
  console.error(`Runlog: the database cannot be used yet (${messageOf(firstError)}); trying again every few seconds.`);
  const prepared = retryUntilPrepared(messageOf(firstError)).then(() => onPrepared?.());
  if (waits) await prepared;
  else prepared.catch((error: unknown) => console.error("Runlog: could not start after preparing the database:", error));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Logs each new reason once (the server starts, then refuses the role), not every attempt. */
async function retryUntilPrepared(firstReason: string): Promise<void> {
  let reason = firstReason;
  for (let attempt = 0; ; attempt++) {
    await delay(retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)]!);
    const error = await prepareDatabase().then(() => null, (failure: unknown) => failure);
    if (error === null) {
      console.log("Runlog: the database is there; prepared it.");
      return;
    }
    if (!isNotThereYet(error)) console.error("Runlog: preparing the database failed; trying again:", error);
    else if (messageOf(error) !== reason) console.error(`Runlog: the database still cannot be used (${messageOf(error)}); trying again.`);
    reason = messageOf(error);
  }
}

/**
 * Unreachable, or a server without the database yet (3D000), or without the role, or with
 * another password for it (28000, 28P01), as while a container's first start creates them.
 */
function isNotThereYet(error: unknown): boolean {
  return isConnectionError(error) || ["3D000", "28000", "28P01"].includes(sqlStateOf(error) ?? "");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
