/**
 * The production server as the benchmarks run it, against a given PostgreSQL database:
 * `next start` alone (pages only: as if Inngest ran the agents), or `npm start` as an operator
 * runs it (web processes beside the runner, scripts/start.mjs). Also signs in as the sign-in
 * form does, so requests carry a real session cookie.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/** NODE_OPTIONS that profile every process of the server (with RUNLOG_CPU_PROFILE_DIR set); see cpu-profile.mjs. */
export const cpuProfileOption = `--import ${path.join(process.cwd(), "bench", "cpu-profile.mjs")}`;

export type ProductionServer = { origin: string; log: string[]; process: ChildProcess; stop: () => Promise<void> };

type LiveProcess = { pid: number; name: string; statFields: string[]; commandLine: string };

/**
 * The machine's live processes: each one's name (comm), its fields of /proc/<pid>/stat after
 * "(comm) " (state, ppid, pgrp, … utime is [11], stime [12]) and its command line (`next start`
 * names itself next-server).
 */
export function liveProcesses(): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const statFields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      found.push({ pid: Number(entry), name, statFields, commandLine: fs.readFileSync(`/proc/${entry}/cmdline`, "utf8") });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The live processes of a process group (a server's, started detached). */
export function processesInGroup(processGroup: number): LiveProcess[] {
  return liveProcesses().filter(({ statFields }) => Number(statFields[2]) === processGroup);
}

type Options = { databaseUrl: string; mode: "pages-only" | "npm-start"; env?: Record<string, string>; nodeOptions?: string };

export async function startProductionServer({ databaseUrl, mode, env = {}, nodeOptions }: Options): Promise<ProductionServer> {
  await ensureBuild(mode === "npm-start");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const command = mode === "npm-start" ? [process.execPath, ["scripts/start.mjs", "-p", String(port), "-H", "127.0.0.1"]] as const : ["npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"]] as const;
  const server = spawn(command[0], [...command[1]], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: origin,
      // Pages only: as if Inngest ran the agents, this server neither runs nor resumes runs.
      ...(mode === "pages-only" ? { INNGEST_DEV: "1" } : {}),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
      ...env,
    },
    detached: true, // its own process group, so stopping it stops every process it started
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  server.stdout!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const stopServer = () => stop(server);
  try {
    await waitUntilHealthy(origin, server, log);
  } catch (error) {
    await stopServer();
    throw error;
  }
  return { origin, log, process: server, stop: stopServer };
}

/** What the sign-in form's `signIn("credentials")` does: CSRF token, then the callback; answers the cookies. */
export async function signIn(origin: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const split = pair!.indexOf("=");
      jar.set(pair!.slice(0, split), pair!.slice(split + 1));
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${origin}/executions`, json: "true" }),
  });
  keep(callback);
  if (![...jar.keys()].some((name) => name.endsWith("next-auth.session-token"))) {
    throw new Error(`Sign-in as ${email} failed: HTTP ${callback.status} ${await callback.text()}`);
  }
  return cookieHeader();
}

/** The production build (and, for npm start, the runner's bundle), waiting for a build in progress rather than racing it. */
async function ensureBuild(withRunner: boolean): Promise<void> {
  const buildId = path.join(process.cwd(), ".next", "BUILD_ID");
  const runner = path.join(process.cwd(), ".runlog", "runner.mjs");
  const lock = path.join(process.cwd(), ".next", "lock");
  const deadline = Date.now() + 10 * 60_000;
  if (!fs.existsSync(buildId) && fs.existsSync(lock)) console.log("Waiting for the next build in progress…");
  while (!fs.existsSync(buildId) && fs.existsSync(lock) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
  if (fs.existsSync(buildId) && (!withRunner || fs.existsSync(runner))) return;
  console.log("No production build yet: running npm run build…");
  execFileSync("npm", ["run", "build"], { stdio: "inherit" });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(origin: string, server: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The server exited (${server.exitCode}): ${log.join("")}`);
    const status = await fetch(`${origin}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server did not become healthy in 120 s: ${log.join("")}`);
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || !server.pid) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  process.kill(-server.pid, "SIGTERM");
  const timer = setTimeout(() => server.exitCode === null && process.kill(-server.pid!, "SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
