/**
 * Time to first byte of a server-rendered page as a signed-in person sees it: runs the
 * production build (`next start`) against a given database, signs in through next-auth's
 * credentials callback as the sign-in form does, then times GETs of the page.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

export type PageTiming = { ttfbMs: number[]; totalMs: number[]; status: number; problem: string | null };

type TtfbRequest = { databaseUrl: string; email: string; password: string; pagePath: string; warmups: number; runs: number };

export async function measurePageTtfb({ databaseUrl, email, password, pagePath, warmups, runs }: TtfbRequest): Promise<PageTiming> {
  await ensureBuild();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: origin,
      // As if Inngest ran the agents: this server must not resume the seeded running and
      // queued runs nor start the workflow scheduler; it only serves pages.
      INNGEST_DEV: "1",
    },
    detached: true, // its own process group, so stopping it stops next's child too
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  server.stdout!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => log.push(chunk.toString()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await waitUntilHealthy(origin, server, log);
    const cookie = await signIn(origin, email, password);
    const ttfbMs: number[] = [];
    const totalMs: number[] = [];
    let last = await timedGet(agent, `${origin}${pagePath}`, cookie);
    for (let n = 0; n < warmups + runs; n++) {
      last = await timedGet(agent, `${origin}${pagePath}`, cookie);
      if (n < warmups) continue;
      ttfbMs.push(last.ttfbMs);
      totalMs.push(last.totalMs);
    }
    const problem = last.status !== 200
      ? `HTTP ${last.status}${last.location ? ` → ${last.location}` : ""}; server said: ${log.join("").trim().split("\n").slice(-5).join(" | ")}`
      : last.body.includes("Something went wrong")
        ? `the page rendered its error boundary; server said: ${log.join("").trim().split("\n").slice(-5).join(" | ")}`
        : null;
    return { ttfbMs, totalMs, status: last.status, problem };
  } finally {
    agent.destroy();
    await stop(server);
  }
}

/** The production build, waiting for one that someone else is running (`.next/lock`) rather than racing it. */
async function ensureBuild(): Promise<void> {
  const buildId = path.join(process.cwd(), ".next", "BUILD_ID");
  const lock = path.join(process.cwd(), ".next", "lock");
  const deadline = Date.now() + 10 * 60_000;
  if (!fs.existsSync(buildId) && fs.existsSync(lock)) console.log("Waiting for the next build in progress…");
  while (!fs.existsSync(buildId) && fs.existsSync(lock) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2000));
  if (fs.existsSync(buildId)) return;
  console.log("No production build yet: running next build…");
  execFileSync("npx", ["next", "build"], { stdio: "inherit" });
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
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited (${server.exitCode}): ${log.join("")}`);
    const status = await fetch(`${origin}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not become healthy in 60 s: ${log.join("")}`);
}

/** What the sign-in form's `signIn("credentials")` does: CSRF token, then the callback; keeps the cookies. */
async function signIn(origin: string, email: string, password: string): Promise<string> {
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

type TimedResponse = { ttfbMs: number; totalMs: number; status: number; location: string | undefined; body: string };

/** Time to the first byte of the body (a streamed page may send its headers earlier) and to the last. */
function timedGet(agent: http.Agent, url: string, cookie: string): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let ttfbMs = 0;
    const chunks: Buffer[] = [];
    const request = http.get(url, { agent, headers: { cookie, accept: "text/html" } }, (response) => {
      response.on("data", (chunk: Buffer) => {
        if (!chunks.length) ttfbMs = performance.now() - started;
        chunks.push(chunk);
      });
      response.on("end", () => {
        const totalMs = performance.now() - started;
        resolve({ ttfbMs: ttfbMs || totalMs, totalMs, status: response.statusCode ?? 0, location: response.headers.location, body: Buffer.concat(chunks).toString() });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || !server.pid) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  process.kill(-server.pid, "SIGTERM");
  const timer = setTimeout(() => server.exitCode === null && process.kill(-server.pid!, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
