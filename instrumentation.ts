export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabase } = await import("./db/prepare");
  await prepareDatabase();
  const { isInngestConfigured } = await import("./inngest/client");
  if (!isInngestConfigured()) {
    // Takes up queued runs and runs whose owner stopped (never one another instance is running).
    const { startEmbeddedRunner } = await import("./inngest/embedded");
    startEmbeddedRunner();
    const { startEmbeddedScheduler } = await import("./inngest/scheduler");
    startEmbeddedScheduler();
  }
}
