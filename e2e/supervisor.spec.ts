/**
 * `npm start` as an operator runs it, on PostgreSQL (scripts/start.mjs): a supervisor with one web
 * process beside the runner. When the web process is killed, a request sent at that instant is
 * answered or refused at once (a client can retry), never left waiting, and the site is back
 * within seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchDatabase, type ScratchDatabase } from "@/bench/harness";
import { processesInGroup, startProductionServer, type ProductionServer } from "@/bench/production-server";

const serverUrl = new URL(process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
serverUrl.pathname = `/runlog_e2e_${process.pid}_supervisor`;

let scratch: ScratchDatabase;
let server: ProductionServer;

beforeAll(async () => {
  scratch = await scratchDatabase(serverUrl.toString());
  server = await startProductionServer({ databaseUrl: scratch.url, mode: "npm-start", env: { RUNLOG_WEB_PROCESSES: "1" } });
});

afterAll(async () => {
  await server?.stop();
  await scratch?.finish();
});

/** The supervisor's web processes. */
function webProcessIds(): number[] {
  return processesInGroup(server.process.pid!).filter((found) => found.commandLine.startsWith("next-server")).map((found) => found.pid);
}

/** Milliseconds until a request settles, answered or refused, given at most `limitMs`. */
async function settleTime(url: string, limitMs: number): Promise<{ ms: number; status: number | "refused" | "no answer" }> {
  const t0 = performance.now();
  const status = await fetch(url, { signal: AbortSignal.timeout(limitMs) }).then(
    (response) => response.status,
    (error: Error) => (error.name === "TimeoutError" ? ("no answer" as const) : ("refused" as const)),
  );
  return { ms: performance.now() - t0, status };
}

describe("npm start when its web process dies", () => {
  it("refuses a request sent at that instant at once instead of leaving it waiting, and serves again within seconds", { timeout: 90_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const [web] = webProcessIds();
      expect(web, "a running web process").toBeDefined();
      process.kill(web!, "SIGKILL");
      const first = await settleTime(`${server.origin}/api/health`, 5_000);
      expect(first.status, `round ${round + 1}: the request sent as the web process died`).not.toBe("no answer");
      expect(first.ms).toBeLessThan(2_000);
      const deadline = Date.now() + 10_000;
      let status: number | "refused" | "no answer" = "refused";
      while (status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await settleTime(`${server.origin}/api/health`, 5_000)).status;
      }
      expect(status, `round ${round + 1}: health within 10 s`).toBe(200);
      expect(webProcessIds()).toHaveLength(1);
    }
  });
});
