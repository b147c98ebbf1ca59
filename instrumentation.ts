export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request: the address each request came from, which no client can choose.
  const { stampSocketAddresses } = await import("./lib/http/socket-address");
  stampSocketAddresses();
  const { prepareDatabase } = await import("./db/prepare");
  await prepareDatabase();
  const { isInngestConfigured } = await import("./inngest/client");
  const { processRole } = await import("./inngest/process-role");
  // With Inngest, or beside a runner process (npm start on PostgreSQL), this process only serves.
  if (isInngestConfigured() || processRole() === "web") return;
  // Takes up queued runs and runs whose owner stopped (never one another instance is running).
  const { startEmbeddedRunner } = await import("./inngest/embedded");
  startEmbeddedRunner();
  const { startEmbeddedScheduler } = await import("./inngest/scheduler");
  startEmbeddedScheduler();
}
