/**
 * Time to first byte of a server-rendered page as a signed-in person sees it: runs the
 * production build (`next start`) against a given database, signs in through next-auth's
 * credentials callback as the sign-in form does, then times GETs of the page.
 */
import http from "node:http";
import { signIn, startProductionServer } from "./production-server";

export type PageTiming = { ttfbMs: number[]; totalMs: number[]; status: number; problem: string | null };

type TtfbRequest = { databaseUrl: string; email: string; password: string; pagePath: string; warmups: number; runs: number };

export async function measurePageTtfb({ databaseUrl, email, password, pagePath, warmups, runs }: TtfbRequest): Promise<PageTiming> {
  const server = await startProductionServer({ databaseUrl, mode: "pages-only" });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const cookie = await signIn(server.origin, email, password);
    const ttfbMs: number[] = [];
    const totalMs: number[] = [];
    let last = await timedGet(agent, `${server.origin}${pagePath}`, cookie);
    for (let n = 0; n < warmups + runs; n++) {
      last = await timedGet(agent, `${server.origin}${pagePath}`, cookie);
      if (n < warmups) continue;
      ttfbMs.push(last.ttfbMs);
      totalMs.push(last.totalMs);
    }
    const said = () => server.log.join("").trim().split("\n").slice(-5).join(" | ");
    const problem = last.status !== 200
      ? `HTTP ${last.status}${last.location ? ` → ${last.location}` : ""}; server said: ${said()}`
      : last.body.includes("Something went wrong")
        ? `the page rendered its error boundary; server said: ${said()}`
        : null;
    return { ttfbMs, totalMs, status: last.status, problem };
  } finally {
    agent.destroy();
    await server.stop();
  }
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
