/**
 * The production build (`next start`) on a free port with a fresh embedded database (or the
 * PostgreSQL database given), ready once it has migrated and seeded. The browser tests and
 * `npm run measure:pages` both start the app this way. Builds first if there is no build.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type AppServer = { baseURL: string; logFile: string; stop: () => Promise<void> };

/** `waitsUntilReady: false` returns as soon as the server answers at all (any status), for a test of a server that cannot be ready yet. */
export async function startAppServer({ databaseUrl, logFile, waitsUntilReady = true }: { databaseUrl?: string; logFile: string; waitsUntilReady?: boolean }): Promise<AppServer> {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.log("no production build found; running `next build` first.");
    const built = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("next build failed");
  }
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const port = await freePort();
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-app-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PGLITE_DIR: path.join(dataRoot, "pglite"), NODE_ENV: "production" };
  delete env.DATABASE_URL;
  delete env.NEXTAUTH_SECRET;
  delete env.NEXTAUTH_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const log = fs.openSync(logFile, "w");
  const server = spawn("npx", ["next", "start", "-p", String(port)], { env, detached: true, stdio: ["ignore", log, log] });
  const baseURL = `http://127.0.0.1:${port}`;
  const stopAll = async () => {
    await stop(server);
    fs.rmSync(dataRoot, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(baseURL, server, waitsUntilReady);
  } catch (error) {
    await stopAll();
    const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n");
    throw new Error(`${(error as Error).message}\n--- server log ---\n${tail}`);
  }
  return { baseURL, logFile, stop: stopAll };
}

async function waitUntilReady(baseURL: string, server: ChildProcess, waitsForHealth: boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      const health = await fetch(`${baseURL}/api/health`);
      if (!waitsForHealth) return;
      if (health.status === 200 && (await fetch(`${baseURL}/sign-in`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("The server did not become ready within 120 s (GET /api/health and GET /sign-in must answer 200)");
}

/** Stops a server started in its own process group, and whatever it started. */
export async function stop(server: ChildProcess): Promise<void> {
  if (server.pid === undefined) return;
  // Signal the whole group even if `npx` itself is gone: `next-server` may outlive it.
  const exited = server.exitCode !== null || server.signalCode !== null ? Promise.resolve() : new Promise((resolve) => server.once("exit", resolve));
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-server.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
