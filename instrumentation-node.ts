/**
 * What a Node.js server process does at start (instrumentation.ts imports it only there, so the
 * Edge build of instrumentation never bundles the database or the runner).
 */
export async function registerNode() {
  // Before any request: the address each request came from, which no client can choose.
  const { stampSocketAddresses } = await import("./lib/http/socket-address");
  stampSocketAddresses();
  const { isInngestConfigured } = await import("./inngest/client");
  const { processRole } = await import("./inngest/process-role");
  // With Inngest, or beside a runner process (npm start on PostgreSQL), this process only serves.
  const runsAgents = !isInngestConfigured() && processRole() !== "web";
  const { prepareAtStart } = await import("./db/prepare");
  await prepareAtStart({ waits: false, onPrepared: runsAgents ? startAgents : undefined });
}

/** Takes up queued runs and runs whose owner stopped (never one another instance is running). */
async function startAgents() {
  const { startEmbeddedRunner } = await import("./inngest/embedded");
  startEmbeddedRunner();
  const { startEmbeddedScheduler } = await import("./inngest/scheduler");
  startEmbeddedScheduler();
}
